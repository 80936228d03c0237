import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CloudConfig } from '../config/cloud-config.js';
import { JobQueues } from '../queues/job-queues.js';
import { RepeatableJobs } from '../queues/repeatable-jobs.js';
import { ReconciliationService, type ReconcileReport } from './reconciliation.service.js';

export const RECONCILE_JOB = 'reconcile';
/** One scheduler id for the whole cloud: every replica upserts the same one, so a pass runs once per interval. */
export const RECONCILE_SCHEDULER_ID = 'reconcile-every-interval';

@Injectable()
export class ReconciliationProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly config: CloudConfig,
    private readonly jobs: JobQueues,
    private readonly repeatable: RepeatableJobs,
    private readonly reconciliation: ReconciliationService,
  ) {}

  onModuleInit(): void {
    this.repeatable.register({
      queue: 'reconciliation',
      schedulerId: RECONCILE_SCHEDULER_ID,
      everyMs: this.config.reconcileIntervalSeconds * 1000,
      jobName: RECONCILE_JOB,
    });
  }

  onApplicationBootstrap(): void {
    this.jobs.startWorker('reconciliation', (job) => this.process(job), 1);
  }

  process(job: Job): Promise<ReconcileReport> {
    if (job.name !== RECONCILE_JOB) throw new Error(`unknown reconciliation job '${job.name}'`);
    return this.reconciliation.reconcileAll();
  }
}
