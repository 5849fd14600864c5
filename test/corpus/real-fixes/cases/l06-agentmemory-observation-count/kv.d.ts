// Declaration of the project's own modules this reduction imports (their bodies are not part of the fix).
export declare class StateKV {
  get<T>(scope: string, key: string): Promise<T | null>;
  set<T>(scope: string, key: string, value: T): Promise<T>;
  update(scope: string, key: string, ops: Array<{ type: 'set' | 'remove'; path: string; value?: unknown }>): Promise<void>;
  list<T>(scope: string): Promise<T[]>;
}
export declare const KV: { sessions: string; observations(sessionId: string): string };
export declare function generateId(prefix: string): string;
export declare function withKeyedLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
