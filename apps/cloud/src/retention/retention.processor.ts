import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CloudConfig } from '../config/cloud-config.js';
import { JobQueues } from '../queues/job-queues.js';
import { RepeatableJobs } from '../queues/repeatable-jobs.js';
import { RetentionService, type RetentionReport } from './retention.service.js';

export const RETENTION_JOB = 'apply-retention';
/** One scheduler id for the whole cloud: every replica upserts the same one, so a run happens once per interval. */
export const RETENTION_SCHEDULER_ID = 'retention-every-interval';

/** Runs the retention pass; its scheduler is one of RepeatableJobs, so a Redis that lost it gets it back. */
@Injectable()
export class RetentionProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly config: CloudConfig,
    private readonly jobs: JobQueues,
    private readonly repeatable: RepeatableJobs,
    private readonly retention: RetentionService,
  ) {}

  onModuleInit(): void {
    this.repeatable.register({
      queue: 'retention',
      schedulerId: RETENTION_SCHEDULER_ID,
      everyMs: this.config.retention.intervalSeconds * 1000,
      jobName: RETENTION_JOB,
    });
  }

  onApplicationBootstrap(): void {
    this.jobs.startWorker('retention', (job) => this.process(job), 1);
  }

  process(job: Job): Promise<RetentionReport> {
    if (job.name !== RETENTION_JOB) throw new Error(`unknown retention job '${job.name}'`);
    return this.retention.applyAll();
  }
}
