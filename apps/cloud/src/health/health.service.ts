import { Injectable } from '@nestjs/common';
import type { CloudHealth, DependencyHealth } from '@app/contracts';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { HealthRepository } from './health.repository.js';

/** Each check answers within this or counts as down (a pool with no free connection, a hung server). */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<void>): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_CHECK_TIMEOUT_MS} ms`)), HEALTH_CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(
    private readonly repository: HealthRepository,
    private readonly shutdown: ShutdownState,
  ) {}

  async check(): Promise<CloudHealth> {
    const [mysql, mysqlReads, redis] = await Promise.all([
      probe(() => this.repository.pingWritePool()),
      probe(() => this.repository.pingReads()),
      probe(() => this.repository.pingRedis()),
    ]);
    const checks = { mysql, mysqlReads, redis };
    const code = this.shutdown.draining
      ? 'SHUTTING_DOWN'
      : mysql.status === 'down' || mysqlReads.status === 'down'
        ? 'DATABASE_UNAVAILABLE'
        : redis.status === 'down'
          ? 'REDIS_UNAVAILABLE'
          : null;
    return code ? { status: 'unavailable', code, checks } : { status: 'ok', checks };
  }
}
