import type { Redis } from 'ioredis';

/** Counts hits in a fixed window that starts with the first hit; returns the count and the window's remaining ms. */
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

export interface RateLimitOutcome {
  allowed: boolean;
  hits: number;
  retryAfterSeconds: number;
}

/**
 * A fixed-window rate limiter whose counts live in Redis, so every replica shares them: an
 * attacker cannot multiply a limit by spreading attempts over replicas.
 */
export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(name: string, key: string, limit: number, windowMs: number): Promise<RateLimitOutcome> {
    const [hits, ttl] = (await this.redis.eval(HIT, 1, `${this.prefix}:rate:${name}:${key}`, windowMs)) as [number, number];
    return { allowed: hits <= limit, hits, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
  }
}
