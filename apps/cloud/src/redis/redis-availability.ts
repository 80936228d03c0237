import type { Redis } from 'ioredis';

/** How long one command on the shared connection may take, queued or sent, before it fails. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * Thrown instead of queueing a Redis call while the connection is known to be down, so that a
 * request never waits out reconnect attempts; the global filter answers it 503 REDIS_UNAVAILABLE.
 */
export class RedisUnavailableError extends Error {
  constructor(status: string) {
    super(`Redis is not reachable (connection ${status})`);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * Whether the shared connection is down right now: it was ready once and is reconnecting, or it
 * gave up. Before the first connection ('wait', 'connecting' at start) calls may queue: the app
 * is starting and Redis is expected any moment.
 */
export function redisIsDown(redis: Redis, everReady: boolean): boolean {
  switch (redis.status) {
    case 'ready':
      return false;
    case 'wait':
    case 'connect':
      return false;
    case 'connecting':
      return everReady;
    default:
      // 'reconnecting', 'close', 'end'
      return true;
  }
}
