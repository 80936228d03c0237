import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { JobQueues, type QueueName } from './job-queues.js';
import { RedisStateWatch } from './redis-state-watch.js';

/** A job that runs every so often, once for the whole cloud whatever the number of replicas. */
export interface RepeatableJob {
  queue: QueueName;
  /** One id for the whole cloud: every replica upserts the same scheduler, so a run happens once per interval. */
  schedulerId: string;
  everyMs: number;
  jobName: string;
  /** How many finished jobs Redis keeps for inspection. */
  keep?: number;
}

/**
 * The cloud's BullMQ job schedulers, in one list: a module with a periodic job registers it here
 * (in its onModuleInit) and never upserts it itself. Every scheduler is upserted at start (so a
 * changed interval applies), retried while Redis is unreachable, and re-created whenever Redis
 * lost it (RedisStateWatch): a Redis restarted empty does not stop a periodic job until the next
 * deploy.
 */
@Injectable()
export class RepeatableJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RepeatableJobs.name);
  private readonly jobs: RepeatableJob[] = [];
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly queues: JobQueues,
    watch: RedisStateWatch,
  ) {
    watch.whenLost('job schedulers', () => this.upsertAll());
    watch.everySweep('missing job schedulers', () => this.restoreMissing());
  }

  register(job: RepeatableJob): void {
    if (this.jobs.some((j) => j.queue === job.queue && j.schedulerId === job.schedulerId))
      throw new Error(`job scheduler ${job.queue}/${job.schedulerId} registered twice`);
    this.jobs.push(job);
  }

  get registered(): readonly RepeatableJob[] {
    return this.jobs;
  }

  onApplicationBootstrap(): void {
    void this.upsertAtStart(1);
  }

  onModuleDestroy(): void {
    clearTimeout(this.retry);
  }

  /** Upserts every registered scheduler. */
  async upsertAll(): Promise<void> {
    for (const job of this.jobs) await this.upsert(job);
  }

  /** Re-creates the schedulers Redis no longer has; answers their ids. */
  async restoreMissing(): Promise<string[]> {
    const restored: string[] = [];
    for (const job of this.jobs) {
      if (await this.queues.queue(job.queue).getJobScheduler(job.schedulerId)) continue;
      await this.upsert(job);
      restored.push(job.schedulerId);
    }
    if (restored.length > 0) this.logger.warn(`re-created job scheduler(s) Redis had lost: ${restored.join(', ')}`);
    return restored;
  }

  private async upsert(job: RepeatableJob): Promise<void> {
    await this.queues
      .queue(job.queue)
      .upsertJobScheduler(
        job.schedulerId,
        { every: job.everyMs },
        { name: job.jobName, opts: { removeOnComplete: job.keep ?? 50, removeOnFail: job.keep ?? 50 } },
      );
  }

  /** While Redis is unreachable at start it tries again, backing off up to a minute. */
  private async upsertAtStart(attempt: number): Promise<void> {
    try {
      await this.upsertAll();
    } catch (error) {
      const delay = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
      this.logger.warn(`cannot schedule the periodic jobs (${(error as Error).message}); trying again in ${delay / 1000} s`);
      this.retry = setTimeout(() => void this.upsertAtStart(attempt + 1), delay);
      this.retry.unref();
    }
  }
}
