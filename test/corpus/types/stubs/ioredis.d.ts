// Stub of the ioredis client commands the corpus uses.
export interface Pipeline {
  incr(key: string): Pipeline;
  decr(key: string): Pipeline;
  pexpire(key: string, ms: number): Pipeline;
  set(key: string, value: string | number): Pipeline;
  get(key: string): Pipeline;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

export default class Redis {
  constructor(url?: string);
  get(key: string): Promise<string | null>;
  set(key: string, value: string | number, mode?: 'PX' | 'EX', ttl?: number): Promise<'OK' | null>;
  set(key: string, value: string | number, mode: 'PX' | 'EX', ttl: number, nx: 'NX'): Promise<'OK' | null>;
  del(key: string): Promise<number>;
  incr(key: string): Promise<number>;
  decr(key: string): Promise<number>;
  incrby(key: string, n: number): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  hset(key: string, field: string, value: string | number): Promise<number>;
  hincrby(key: string, field: string, n: number): Promise<number>;
  hgetall(key: string): Promise<Record<string, string>>;
  pexpire(key: string, ms: number): Promise<number>;
  multi(): Pipeline;
}
