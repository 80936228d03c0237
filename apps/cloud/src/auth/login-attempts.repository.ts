import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CloudConfig } from '../config/cloud-config.js';
import { REDIS } from '../redis/redis.module.js';

/**
 * One failure counter of login throttling: `free` failures pass, each further one locks the counter
 * for a delay that doubles from the policy's base up to its cap.
 */
export interface FailureCounter {
  /** Redis key (without the prefix): names what is counted, never holds an email or address in clear. */
  key: string;
  free: number;
}

export interface BackoffTiming {
  baseMs: number;
  maxMs: number;
  /** How long a counter outlives its last failure (and lock). */
  idleMs: number;
  /** How long an admitted attempt may stay undecided (a replica that died mid-check frees its place then). */
  pendingMs: number;
}

// Every script reads Redis's own clock (TIME), so replicas with skewed clocks agree on locks.
const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Admits an attempt when no counter is locked and none has as many attempts in flight as it has
 * failures left (at least one: after a lock ends, one attempt may try). The in-flight places close
 * the race where a burst of parallel guesses all pass before the first failure is counted.
 * KEYS: state, pending pairs. ARGV: attemptId, pendingMs, then each counter's free failures.
 * Returns 0 when admitted, else the ms to wait.
 */
const ADMIT = `${NOW}
local wait = 0
for i = 1, #KEYS / 2 do
  local state, pending = KEYS[2 * i - 1], KEYS[2 * i]
  redis.call('ZREMRANGEBYSCORE', pending, '-inf', now)
  local lockedUntil = tonumber(redis.call('HGET', state, 'until') or '0')
  local failures = tonumber(redis.call('HGET', state, 'n') or '0')
  local free = tonumber(ARGV[2 + i])
  if lockedUntil > now then
    wait = math.max(wait, lockedUntil - now)
  elseif redis.call('ZCARD', pending) >= math.max(1, free - failures) then
    wait = math.max(wait, 1000)
  end
end
if wait > 0 then return wait end
for i = 1, #KEYS / 2 do
  redis.call('ZADD', KEYS[2 * i], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[2 * i], tonumber(ARGV[2]))
end
return 0
`;

/**
 * Counts a failure on each counter; past its free failures, locks it for base * 2^(extra - 1), capped.
 * KEYS: state, pending pairs. ARGV: attemptId, baseMs, maxMs, idleMs, then each counter's free
 * failures. Returns the longest lock set (0 for none).
 */
const FAIL = `${NOW}
local longest = 0
for i = 1, #KEYS / 2 do
  local state, pending = KEYS[2 * i - 1], KEYS[2 * i]
  redis.call('ZREM', pending, ARGV[1])
  local failures = redis.call('HINCRBY', state, 'n', 1)
  local free = tonumber(ARGV[4 + i])
  local lock = 0
  if failures > free then
    lock = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ math.min(failures - free - 1, 40))
    redis.call('HSET', state, 'until', math.floor(now + lock))
  end
  redis.call('PEXPIRE', state, math.floor(lock + tonumber(ARGV[4])))
  longest = math.max(longest, lock)
end
return math.floor(longest)
`;

/**
 * After a success: frees the attempt's place in every counter and forgets the failures (and lock)
 * of the first ARGV[2]; other attempts in flight keep their places. KEYS: state, pending pairs.
 * ARGV: attemptId, number of counters to reset.
 */
const SUCCEED = `
local reset = tonumber(ARGV[2])
for i = 1, #KEYS / 2 do
  redis.call('ZREM', KEYS[2 * i], ARGV[1])
  if i <= reset then redis.call('DEL', KEYS[2 * i - 1]) end
end
return 0
`;

/** Frees the attempt's place without counting anything (the request failed for another reason). KEYS: pending keys. */
const RELEASE = `
for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 0
`;

/**
 * Login failure counters in Redis, shared by every replica: an attacker cannot multiply a limit by
 * spreading attempts over replicas, and every rule is one atomic script.
 */
@Injectable()
export class LoginAttemptsRepository {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CloudConfig,
  ) {
    this.prefix = `${config.redisPrefix}:login`;
  }

  /** 0 when the attempt may go ahead (its place is taken in every counter), else the ms to wait. */
  async admit(attemptId: string, counters: readonly FailureCounter[], timing: BackoffTiming): Promise<number> {
    return Number(await this.redis.eval(ADMIT, counters.length * 2, ...this.keys(counters), attemptId, timing.pendingMs, ...counters.map((c) => c.free)));
  }

  /** Counts the failure; returns the lock it set (ms, 0 for none). */
  async fail(attemptId: string, counters: readonly FailureCounter[], timing: BackoffTiming): Promise<number> {
    return Number(
      await this.redis.eval(
        FAIL,
        counters.length * 2,
        ...this.keys(counters),
        attemptId,
        timing.baseMs,
        timing.maxMs,
        timing.idleMs,
        ...counters.map((c) => c.free),
      ),
    );
  }

  async succeed(attemptId: string, reset: readonly FailureCounter[], release: readonly FailureCounter[]): Promise<void> {
    await this.redis.eval(SUCCEED, (reset.length + release.length) * 2, ...this.keys([...reset, ...release]), attemptId, reset.length);
  }

  async release(attemptId: string, counters: readonly FailureCounter[]): Promise<void> {
    await this.redis.eval(RELEASE, counters.length, ...counters.map((c) => `${this.prefix}:${c.key}:pending`), attemptId);
  }

  private keys(counters: readonly FailureCounter[]): string[] {
    return counters.flatMap((c) => [`${this.prefix}:${c.key}`, `${this.prefix}:${c.key}:pending`]);
  }
}
