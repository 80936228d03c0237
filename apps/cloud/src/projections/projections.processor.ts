import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { parseOrThrow, projectStoreJobSchema } from '@app/contracts';
import { JobQueues } from '../queues/job-queues.js';
import { PROJECT_STORE_JOB } from './projections.scheduler.js';
import { ProjectionsService } from './projections.service.js';

@Injectable()
export class ProjectionsProcessor implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobQueues,
    private readonly projections: ProjectionsService,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.startWorker('projections', (job) => this.process(job), 4);
  }

  process(job: Job): Promise<{ events: number }> {
    if (job.name !== PROJECT_STORE_JOB) throw new Error(`unknown projection job '${job.name}'`);
    return this.projections.projectStore(parseOrThrow(projectStoreJobSchema, job.data, 'projection job').storeId);
  }
}
