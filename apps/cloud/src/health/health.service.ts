import { Injectable } from '@nestjs/common';
import type { CloudHealth, DependencyHealth } from '@app/contracts';
import { HealthRepository } from './health.repository.js';

const CHECK_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<void>): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
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
  constructor(private readonly repository: HealthRepository) {}

  async check(): Promise<CloudHealth> {
    const [mysql, redis] = await Promise.all([probe(() => this.repository.pingDatabase()), probe(() => this.repository.pingRedis())]);
    return { status: mysql.status === 'up' && redis.status === 'up' ? 'ok' : 'unavailable', checks: { mysql, redis } };
  }
}
