import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker, type Job, type JobsOptions, type RedisOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { CloudConfig } from '../config/cloud-config.js';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { REDIS_COMMAND_TIMEOUT_MS } from '../redis/redis-availability.js';
import { REDIS, RedisAvailability } from '../redis/redis.module.js';

export const QUEUE_NAMES = ['command-timers', 'reconciliation', 'projections', 'retention'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/** Share of SHUTDOWN_TIMEOUT_SECONDS that running jobs get to finish before workers are closed without them. */
const WORKER_DRAIN_SHARE = 1 / 3;

/**
 * The cloud's BullMQ queues (prefix REDIS_PREFIX) and their workers. Adding a job fails at once
 * while Redis is known to be down (RedisUnavailableError, answered 503) and within a bound
 * otherwise, instead of hanging a request; workers block on their own connections.
 *
 * Shutdown: as soon as it begins, workers take no new job; running jobs get a share of the
 * shutdown timeout to finish, then the workers close without them (BullMQ hands a job whose lock
 * lapses to another replica, and every job here is safe to run again). Workers close before the
 * database pools (onModuleDestroy runs before onApplicationShutdown), so a job that finishes has
 * the database still there.
 */
@Injectable()
export class JobQueues implements OnModuleDestroy {
  private readonly logger = new Logger(JobQueues.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly pendingWorkers: (() => void)[] = [];
  private running = 0;
  private idle: (() => void) | null = null;
  private lastErrorLog = 0;
  private closed = false;

  constructor(
    private readonly config: CloudConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly availability: RedisAvailability,
    private readonly shutdown: ShutdownState,
  ) {
    // A BullMQ worker that never reached Redis cannot be closed (its close waits for the first
    // connection forever), so workers are created once Redis has answered at least once.
    redis.on('ready', () => {
      for (const create of this.pendingWorkers.splice(0)) if (!this.closed) create();
    });
    shutdown.signal.addEventListener('abort', () => this.stopTakingJobs(), { once: true });
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        prefix: this.config.redisPrefix,
        connection: { ...redisOptionsFromUrl(this.config.redisUrl), maxRetriesPerRequest: 1, commandTimeout: REDIS_COMMAND_TIMEOUT_MS },
      });
      queue.on('error', (error) => this.reportError(`queue ${name}`, error));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add(name: QueueName, jobName: string, data: object, options: JobsOptions): Promise<Job> {
    this.availability.assertUp();
    return this.queue(name).add(jobName, data, options);
  }

  async addBulk(name: QueueName, jobs: { name: string; data: object; opts: JobsOptions }[]): Promise<Job[]> {
    if (jobs.length === 0) return [];
    this.availability.assertUp();
    return this.queue(name).addBulk(jobs);
  }

  /** Starts a worker now, or as soon as Redis is reachable. */
  startWorker(name: QueueName, process: (job: Job) => Promise<unknown>, concurrency: number): void {
    const create = () => {
      const worker = new Worker(name, (job) => this.track(() => process(job)), {
        prefix: this.config.redisPrefix,
        connection: redisOptionsFromUrl(this.config.redisUrl),
        concurrency,
      });
      worker.on('error', (error) => this.reportError(`worker ${name}`, error));
      worker.on('failed', (job, error) =>
        this.logger.warn(`${name} job ${job?.name ?? '?'} ${job?.id ?? ''} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`),
      );
      this.workers.push(worker);
      if (this.shutdown.draining) void worker.pause(true);
    };
    if (this.redis.status === 'ready') create();
    else this.pendingWorkers.push(create);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.stopTakingJobs();
    const drainMs = Math.round(this.config.shutdownTimeoutSeconds * 1000 * WORKER_DRAIN_SHARE);
    const finished = await this.jobsFinished(drainMs);
    if (!finished)
      this.logger.warn(
        `${this.running} job(s) still running after ${drainMs} ms of shutdown: closing the workers without them (another replica takes them over)`,
      );
    await Promise.all(this.workers.map((w) => w.close(!finished).catch((error: Error) => this.logger.warn(`closing a worker: ${error.message}`))));
    await Promise.all([...this.queues.values()].map((q) => q.close().catch((error: Error) => this.logger.warn(`closing a queue: ${error.message}`))));
  }

  private stopTakingJobs(): void {
    for (const worker of this.workers) void worker.pause(true).catch(() => undefined);
  }

  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      if (this.running === 0) this.idle?.();
    }
  }

  private jobsFinished(withinMs: number): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idle = null;
        resolve(false);
      }, withinMs);
      this.idle = () => {
        clearTimeout(timer);
        this.idle = null;
        resolve(true);
      };
    });
  }

  private reportError(what: string, error: Error): void {
    // A Redis outage makes every connection report each reconnect; once in a while is enough.
    if (Date.now() - this.lastErrorLog < 30_000) return;
    this.lastErrorLog = Date.now();
    this.logger.warn(`${what}: ${error.message}`);
  }
}
