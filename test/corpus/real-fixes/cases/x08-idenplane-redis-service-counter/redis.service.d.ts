// The RedisService of idenplane/idenplane (src/redis/redis.service.ts): a Nest provider around one
// ioredis client, each method a guarded call of the client's command of the same name.
export declare class RedisService {
  isAvailable(): boolean;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Added by the fix: INCR, and EXPIRE when the count is 1. */
  incr(key: string, ttlSeconds: number): Promise<number>;
}
