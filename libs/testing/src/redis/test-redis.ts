import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix of its own for one test file, so files never see each other's keys or queues. */
export function createRedisPrefix(label: string): string {
  return `pos-t:${process.pid}:${label.replace(/[^A-Za-z0-9]+/g, '-')}:${randomBytes(3).toString('hex')}`;
}

/** Deletes every key under a prefix (SCAN, not KEYS, so a shared server is not blocked). */
export async function deleteRedisPrefix(prefix: string, url = testRedisUrl()): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
