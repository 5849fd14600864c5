// h3js/h3 issue #610 (buggy twin): getSession() stores an empty session in the request context
// before it unseals the cookie; a second getSession() for the same request made while the first
// is unsealing returns that empty session, so the page sees the user logged out.
import type { H3Event } from './h3event.js';
import { getCookie, setCookie } from './h3event.js';

type SessionDataT = Record<string, any>;

export interface Session<T extends SessionDataT = SessionDataT> {
  id: string;
  createdAt: number;
  data: T;
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
  if (event.context.sessions![sessionName]) {
    return event.context.sessions![sessionName] as Session<T>;
//         ^ check-then-act
  }

  // Prepare an empty session object and store in context
  const session: Session<T> = { id: '', createdAt: 0, data: Object.create(null) };
  event.context.sessions![sessionName] = session;

  const sealedSession = getCookie(event, sessionName);
  if (sealedSession) {
    // Unseal session data from cookie
    const unsealed = await unsealSession(event, config, sealedSession).catch(() => {});
    Object.assign(session, unsealed);
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
