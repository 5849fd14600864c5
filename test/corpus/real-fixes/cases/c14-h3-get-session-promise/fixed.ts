// h3js/h3 PR #612 (fixes #610): the unseal in progress is kept on the stored session under a
// symbol, and a concurrent getSession() for the same request waits for it.
import type { H3Event } from './h3event.js';
import { getCookie, setCookie } from './h3event.js';

type SessionDataT = Record<string, any>;

const getSessionPromise = Symbol('getSession');

export interface Session<T extends SessionDataT = SessionDataT> {
  id: string;
  createdAt: number;
  data: T;
  [getSessionPromise]?: Promise<Session<T>>;
}

export interface SessionConfig {
  password: string;
  name?: string;
  generateId?: () => string;
}

const DEFAULT_NAME = 'h3';

declare function unsealSession(event: H3Event, config: SessionConfig, sealed: string): Promise<Partial<Session>>;
declare function sealSession(event: H3Event, config: SessionConfig): Promise<string>;

export async function getSession<T extends SessionDataT = SessionDataT>(event: H3Event, config: SessionConfig): Promise<Session<T>> {
  const sessionName = config.name || DEFAULT_NAME;

  // Return existing session if available
  if (!event.context.sessions) {
    event.context.sessions = Object.create(null);
  }
  // Wait for existing session to load
  const existingSession = event.context.sessions![sessionName] as Session<T>;
  if (existingSession) {
    return existingSession[getSessionPromise] || existingSession;
  }

  // Prepare an empty session object and store in context
  const session: Session<T> = { id: '', createdAt: 0, data: Object.create(null) };
  event.context.sessions![sessionName] = session;

  const sealedSession = getCookie(event, sessionName);
  if (sealedSession) {
    // Unseal session data from cookie
    const promise = unsealSession(event, config, sealedSession)
      .catch(() => {})
      .then((unsealed) => {
        Object.assign(session, unsealed);
        delete (event.context.sessions![sessionName] as Session<T>)[getSessionPromise];
        return session;
      });
    (event.context.sessions![sessionName] as Session<T>)[getSessionPromise] = promise;
    await promise;
  }

  // New session store in response cookies
  if (!session.id) {
    session.id = config.generateId?.() ?? crypto.randomUUID();
    session.createdAt = Date.now();
    setCookie(event, sessionName, await sealSession(event, config));
  }

  return session;
}

export async function getUser(event: H3Event) {
  const session = await getSession<{ userId?: string }>(event, { password: process.env.SESSION_SECRET! });
  return session.data.userId ?? null;
}

export async function getPreferences(event: H3Event) {
  const session = await getSession<{ theme?: string }>(event, { password: process.env.SESSION_SECRET! });
  return { theme: session.data.theme ?? 'light' };
}

export async function renderPage(event: H3Event) {
  const [user, prefs] = await Promise.all([getUser(event), getPreferences(event)]);
  return { user, prefs };
}
