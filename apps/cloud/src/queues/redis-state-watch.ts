import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CloudConfig } from '../config/cloud-config.js';
import { REDIS } from '../redis/redis.module.js';

interface Step {
  name: string;
  run: () => Promise<unknown>;
}

/** After a failed recovery, the next attempt comes this soon (then doubling), not a whole sweep later. */
const RETRY_BASE_MS = 1_000;

/**
 * Notices when Redis lost the cloud's state (restarted empty, flushed, the prefix deleted) and
 * rebuilds it from the database, without a restart:
 *
 * - a marker key (`<REDIS_PREFIX>:cloud-state`) is written once the state is known to be whole;
 *   whenever it is missing, at start, on every (re)connection of the shared client and at every
 *   sweep, the steps registered with `whenLost` run (job schedulers, every command timer), and
 *   only when all succeeded is the marker written again. Any replica may do it; the steps are
 *   idempotent, so two replicas doing it at once do no harm;
 * - every RECOVERY_SWEEP_SECONDS the steps registered with `everySweep` run on each replica
 *   (overdue command timers whose job is missing, job schedulers that are gone), which does not
 *   depend on any job having survived in Redis.
 */
@Injectable()
export class RedisStateWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RedisStateWatch.name);
  private readonly lostSteps: Step[] = [];
  private readonly sweepSteps: Step[] = [];
  private interval: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retries = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly onReady = () => void this.check('Redis (re)connected');

  constructor(
    private readonly config: CloudConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  get markerKey(): string {
    return `${this.config.redisPrefix}:cloud-state`;
  }

  /** A step that rebuilds part of the state when Redis lost it all; it must be idempotent. */
  whenLost(name: string, run: () => Promise<unknown>): void {
    this.lostSteps.push({ name, run });
  }

  /** A step every sweep runs on every replica. */
  everySweep(name: string, run: () => Promise<unknown>): void {
    this.sweepSteps.push({ name, run });
  }

  onApplicationBootstrap(): void {
    this.redis.on('ready', this.onReady);
    this.interval = setInterval(() => void this.sweep(), this.config.recoverySweepSeconds * 1000);
    this.interval.unref();
    if (this.redis.status === 'ready') void this.check('start');
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.redis.off('ready', this.onReady);
    clearInterval(this.interval);
    clearTimeout(this.retry);
  }

  /** Runs the recovery if the marker is missing; one run at a time, and one more if asked meanwhile. */
  check(reason: string): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.recoverIfLost(reason).finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        void this.check(reason);
      }
    });
    return this.running;
  }

  async sweep(): Promise<void> {
    if (this.closed) return;
    await this.check('sweep');
    for (const step of this.sweepSteps) {
      if (this.closed) return;
      try {
        await step.run();
      } catch (error) {
        this.logger.warn(`sweep step '${step.name}' failed: ${(error as Error).message}`);
      }
    }
  }

  private async recoverIfLost(reason: string): Promise<void> {
    if (this.closed) return;
    try {
      if ((await this.redis.exists(this.markerKey)) === 1) {
        this.retries = 0;
        return;
      }
      this.logger.warn(`Redis holds no state of this cloud (${reason}): re-creating it from the database (${this.lostSteps.map((s) => s.name).join(', ')})`);
      for (const step of this.lostSteps) {
        const report = await step.run();
        this.logger.log(`restored ${step.name}${report === undefined ? '' : `: ${JSON.stringify(report)}`}`);
      }
      await this.redis.set(this.markerKey, JSON.stringify({ by: `${hostname()}:${process.pid}`, at: new Date().toISOString() }));
      this.retries = 0;
    } catch (error) {
      // Redis (or MySQL) failed midway: the marker stays unset, so the recovery runs again.
      this.retries += 1;
      const delay = Math.min(this.config.recoverySweepSeconds * 1000, RETRY_BASE_MS * 2 ** Math.min(this.retries - 1, 10));
      this.logger.warn(`cannot restore the state Redis lost (${(error as Error).message}); trying again in ${delay} ms`);
      clearTimeout(this.retry);
      if (!this.closed) {
        this.retry = setTimeout(() => void this.check('retry'), delay);
        this.retry.unref();
      }
    }
  }
}
