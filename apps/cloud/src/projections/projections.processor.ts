import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { parseOrThrow, projectStoreJobSchema } from '@app/contracts';
import { JobQueues } from '../queues/job-queues.js';
import { RedisStateWatch } from '../queues/redis-state-watch.js';
import { PROJECT_STORE_JOB } from './projections.scheduler.js';
import { ProjectionsService } from './projections.service.js';

@Injectable()
export class ProjectionsProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobQueues,
    private readonly projections: ProjectionsService,
    private readonly watch: RedisStateWatch,
  ) {}

  onModuleInit(): void {
    // Queued runs live only in Redis: when it lost them, every store that is behind gets one.
    this.watch.whenLost('projection runs', () => this.projections.catchUpAll());
  }

  onApplicationBootstrap(): void {
    this.jobs.startWorker('projections', (job) => this.process(job), 4);
  }

  process(job: Job): Promise<{ events: number }> {
    if (job.name !== PROJECT_STORE_JOB) throw new Error(`unknown projection job '${job.name}'`);
    return this.projections.projectStore(parseOrThrow(projectStoreJobSchema, job.data, 'projection job').storeId);
  }
}
