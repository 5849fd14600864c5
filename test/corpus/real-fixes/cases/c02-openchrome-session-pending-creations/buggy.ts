// shaun0927/openchrome issue #188 (buggy twin): two tool calls for one sessionId both find no
// session, both create a browser context, and the second session replaces the first.
import * as crypto from 'node:crypto';

export interface Worker {
  id: string;
  name: string;
  targets: Set<string>;
  context: string | null;
  createdAt: number;
  lastActivityAt: number;
}

export interface Session {
  id: string;
  name: string;
  workers: Map<string, Worker>;
  defaultWorkerId: string;
  createdAt: number;
  lastActivityAt: number;
}

export interface CDPClient {
  isConnected(): boolean;
  connect(): Promise<void>;
  createBrowserContext(): Promise<string>;
}

export class SessionManager {
  private sessions = new Map<string, Session>();
  private totalSessionsCreated = 0;

  constructor(
    private cdpClient: CDPClient,
    private config: { maxSessions: number; useDefaultContext: boolean },
  ) {}

  async ensureConnected(): Promise<void> {
    if (!this.cdpClient.isConnected()) {
      await this.cdpClient.connect();
    }
  }

  private async createSession(options: { id?: string; name?: string } = {}): Promise<Session> {
    await this.ensureConnected();

    const id = options.id || crypto.randomUUID();

    if (this.sessions.has(id)) {
      return this.sessions.get(id)!;
    }

    if (this.sessions.size >= this.config.maxSessions) {
      throw new Error(`Maximum session limit (${this.config.maxSessions}) reached.`);
    }

    const defaultWorkerId = 'default';
    const defaultContext = this.config.useDefaultContext ? null : await this.cdpClient.createBrowserContext();
    const defaultWorker: Worker = {
      id: defaultWorkerId,
      name: 'Default Worker',
      targets: new Set(),
      context: defaultContext,
      createdAt: Date.now(),
      lastActivityAt: Date.now(),
    };

    const session: Session = {
      id,
      name: options.name || `Session ${id.slice(0, 8)}`,
      workers: new Map([[defaultWorkerId, defaultWorker]]),
      defaultWorkerId,
      createdAt: Date.now(),
      lastActivityAt: Date.now(),
    };

    this.sessions.set(id, session);
//  ^ check-then-act
    this.totalSessionsCreated++;
    return session;
  }

  async getOrCreateSession(sessionId: string): Promise<Session> {
    let session = this.sessions.get(sessionId);
    if (!session) {
      session = await this.createSession({ id: sessionId });
    } else {
      this.touchSession(sessionId);
    }
    return session;
  }

  touchSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session) {
      session.lastActivityAt = Date.now();
    }
  }

  async createWorker(sessionId: string, name: string): Promise<Worker> {
    await this.ensureConnected();
    const session = await this.getOrCreateSession(sessionId);
    const worker: Worker = {
      id: crypto.randomUUID(),
      name,
      targets: new Set(),
      context: await this.cdpClient.createBrowserContext(),
      createdAt: Date.now(),
      lastActivityAt: Date.now(),
    };
    session.workers.set(worker.id, worker);
    return worker;
  }
}
