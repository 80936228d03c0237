import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CloudConfig } from '../config/cloud-config.js';
import { JobQueues } from '../queues/job-queues.js';
import { ReconciliationService, type ReconcileReport } from './reconciliation.service.js';

export const RECONCILE_JOB = 'reconcile';
/** One scheduler id for the whole cloud: every replica upserts the same one, so a pass runs once per interval. */
export const RECONCILE_SCHEDULER_ID = 'reconcile-every-interval';

@Injectable()
export class ReconciliationProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReconciliationProcessor.name);
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: CloudConfig,
    private readonly jobs: JobQueues,
    private readonly reconciliation: ReconciliationService,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.startWorker('reconciliation', (job) => this.process(job), 1);
    void this.schedule(1);
  }

  onModuleDestroy(): void {
    clearTimeout(this.retry);
  }

  process(job: Job): Promise<ReconcileReport> {
    if (job.name !== RECONCILE_JOB) throw new Error(`unknown reconciliation job '${job.name}'`);
    return this.reconciliation.reconcileAll();
  }

  /** Upserts the repeatable job; while Redis is unreachable it tries again, backing off up to a minute. */
  private async schedule(attempt: number): Promise<void> {
    try {
      await this.jobs
        .queue('reconciliation')
        .upsertJobScheduler(RECONCILE_SCHEDULER_ID, { every: this.config.reconcileIntervalSeconds * 1000 }, { name: RECONCILE_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } });
    } catch (error) {
      const delay = Math.min(60_000, 1_000 * 2 ** Math.min(attempt, 6));
      this.logger.warn(`cannot schedule reconciliation (${(error as Error).message}); trying again in ${delay / 1000} s`);
      this.retry = setTimeout(() => void this.schedule(attempt + 1), delay);
      this.retry.unref();
    }
  }
}
