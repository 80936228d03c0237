import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker, type Job, type JobsOptions, type RedisOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { CloudConfig } from '../config/cloud-config.js';
import { REDIS } from '../redis/redis.module.js';

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

/**
 * The cloud's BullMQ queues (prefix REDIS_PREFIX) and their workers. Queues fail a call after a
 * few reconnect attempts instead of hanging a request while Redis is down; workers block on their
 * own connections. Workers close before the database pools (onModuleDestroy runs before
 * onApplicationShutdown), so a job in flight finishes with the database still there.
 */
@Injectable()
export class JobQueues implements OnModuleDestroy {
  private readonly logger = new Logger(JobQueues.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly pendingWorkers: (() => void)[] = [];
  private lastErrorLog = 0;
  private closed = false;

  constructor(
    private readonly config: CloudConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    // A BullMQ worker that never reached Redis cannot be closed (its close waits for the first
    // connection forever), so workers are created once Redis has answered at least once.
    redis.on('ready', () => {
      for (const create of this.pendingWorkers.splice(0)) if (!this.closed) create();
    });
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { prefix: this.config.redisPrefix, connection: { ...redisOptionsFromUrl(this.config.redisUrl), maxRetriesPerRequest: 2 } });
      queue.on('error', (error) => this.reportError(`queue ${name}`, error));
      this.queues.set(name, queue);
    }
    return queue;
  }

  add(name: QueueName, jobName: string, data: object, options: JobsOptions): Promise<Job> {
    return this.queue(name).add(jobName, data, options);
  }

  addBulk(name: QueueName, jobs: { name: string; data: object; opts: JobsOptions }[]): Promise<Job[]> {
    return jobs.length === 0 ? Promise.resolve([]) : this.queue(name).addBulk(jobs);
  }

  /** Starts a worker now, or as soon as Redis is reachable. */
  startWorker(name: QueueName, process: (job: Job) => Promise<unknown>, concurrency: number): void {
    const create = () => {
      const worker = new Worker(name, process, { prefix: this.config.redisPrefix, connection: redisOptionsFromUrl(this.config.redisUrl), concurrency });
      worker.on('error', (error) => this.reportError(`worker ${name}`, error));
      worker.on('failed', (job, error) => this.logger.warn(`${name} job ${job?.name ?? '?'} ${job?.id ?? ''} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`));
      this.workers.push(worker);
    };
    if (this.redis.status === 'ready') create();
    else this.pendingWorkers.push(create);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close().catch((error: Error) => this.logger.warn(`closing a worker: ${error.message}`))));
    await Promise.all([...this.queues.values()].map((q) => q.close().catch((error: Error) => this.logger.warn(`closing a queue: ${error.message}`))));
  }

  private reportError(what: string, error: Error): void {
    // A Redis outage makes every connection report each reconnect; once in a while is enough.
    if (Date.now() - this.lastErrorLog < 30_000) return;
    this.lastErrorLog = Date.now();
    this.logger.warn(`${what}: ${error.message}`);
  }
}
