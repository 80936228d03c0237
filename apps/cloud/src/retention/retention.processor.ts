import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CloudConfig } from '../config/cloud-config.js';
import { JobQueues } from '../queues/job-queues.js';
import { RetentionService, type RetentionReport } from './retention.service.js';

export const RETENTION_JOB = 'apply-retention';
/** One scheduler id for the whole cloud: every replica upserts the same one, so a run happens once per interval. */
export const RETENTION_SCHEDULER_ID = 'retention-every-interval';

@Injectable()
export class RetentionProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionProcessor.name);
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: CloudConfig,
    private readonly jobs: JobQueues,
    private readonly retention: RetentionService,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.startWorker('retention', (job) => this.process(job), 1);
    void this.schedule(1);
  }

  onModuleDestroy(): void {
    clearTimeout(this.retry);
  }

  process(job: Job): Promise<RetentionReport> {
    if (job.name !== RETENTION_JOB) throw new Error(`unknown retention job '${job.name}'`);
    return this.retention.applyAll();
  }

  /** Upserts the repeatable job; while Redis is unreachable it tries again, backing off up to a minute. */
  private async schedule(attempt: number): Promise<void> {
    try {
      await this.jobs
        .queue('retention')
        .upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: this.config.retention.intervalSeconds * 1000 }, { name: RETENTION_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } });
    } catch (error) {
      const delay = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
      this.logger.warn(`cannot schedule retention (${(error as Error).message}); trying again in ${delay / 1000} s`);
      this.retry = setTimeout(() => void this.schedule(attempt + 1), delay);
      this.retry.unref();
    }
  }
}
