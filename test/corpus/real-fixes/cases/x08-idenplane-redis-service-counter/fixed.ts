// idenplane/idenplane PR #417 (fixed): RedisService gains incr(), Redis's own INCR (with EXPIRE
// on the first count), and redisIncr() calls it: no count read here is written back.
import { RedisService } from './redis.service.js';

interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: number;
  retryAfter?: number;
}

const RL_PREFIX = 'rl:';

export class RateLimitService {
  constructor(private readonly redis: RedisService) {}

  async checkIpLimit(ip: string, realmId: string): Promise<RateLimitResult> {
    return this.check(`ip:${realmId}:${ip}`, 60, 1000);
  }

  private async check(key: string, limitPerMinute: number, limitPerHour: number): Promise<RateLimitResult> {
    if (this.redis.isAvailable()) {
      return await this.checkWithRedis(key, limitPerMinute, limitPerHour);
    }
    return { allowed: true, limit: limitPerMinute, remaining: limitPerMinute, resetAt: 0 };
  }

  private async checkWithRedis(key: string, limitPerMinute: number, limitPerHour: number): Promise<RateLimitResult> {
    const now = Math.floor(Date.now() / 1000);
    const minuteWindow = Math.floor(now / 60);
    const hourWindow = Math.floor(now / 3600);

    const minuteCount = parseInt(await this.redisIncr(`${RL_PREFIX}m:${key}:${minuteWindow}`, 120), 10);
    const hourCount = parseInt(await this.redisIncr(`${RL_PREFIX}h:${key}:${hourWindow}`, 7200), 10);

    const minuteResetAt = (minuteWindow + 1) * 60;
    const hourResetAt = (hourWindow + 1) * 3600;

    if (minuteCount > limitPerMinute) {
      return { allowed: false, limit: limitPerMinute, remaining: 0, resetAt: minuteResetAt, retryAfter: Math.max(1, minuteResetAt - now) };
    }
    if (hourCount > limitPerHour) {
      return { allowed: false, limit: limitPerHour, remaining: 0, resetAt: hourResetAt, retryAfter: Math.max(1, hourResetAt - now) };
    }
    return { allowed: true, limit: limitPerMinute, remaining: limitPerMinute - minuteCount, resetAt: minuteResetAt };
  }

  private async redisIncr(key: string, ttl: number): Promise<string> {
    const count = await this.redis.incr(key, ttl);
    return String(count);
  }
}
