import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import type { ProjectStoreJob } from '@app/contracts';
import { JobQueues } from '../queues/job-queues.js';

export const PROJECT_STORE_JOB = 'project-store';

/**
 * A projection run waits this long after the batch that queued it: a store uploading its backlog
 * is projected in a few large runs rather than one per batch (sales figures are reporting, a
 * second behind is fresh).
 */
export const PROJECTION_DELAY_MS = 1_000;

const jobOptions = (storeId: string): JobsOptions => ({
  delay: PROJECTION_DELAY_MS,
  deduplication: { id: `store-${storeId}`, keepLastIfActive: true },
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: 100,
});

/**
 * Queues a projection run for a store. Deduplicated per store: while one is waiting, more events
 * add nothing; while one is running, one more is kept to run after it, so events committed during
 * a run are never left unprojected.
 */
@Injectable()
export class ProjectionsScheduler {
  private readonly logger = new Logger(ProjectionsScheduler.name);

  constructor(private readonly jobs: JobQueues) {}

  async schedule(storeId: string): Promise<void> {
    try {
      await this.jobs.add('projections', PROJECT_STORE_JOB, { storeId } satisfies ProjectStoreJob, jobOptions(storeId));
    } catch (error) {
      // The events are durable; the projection catches up with the store's next batch (or the
      // recovery of a Redis that lost its jobs).
      this.logger.warn(`cannot queue the projection of store ${storeId}: ${(error as Error).message}`);
    }
  }

  /** Queues a run for each store at once; throws if Redis refuses (the caller retries). */
  async scheduleMany(storeIds: readonly string[]): Promise<void> {
    await this.jobs.addBulk(
      'projections',
      storeIds.map((storeId) => ({ name: PROJECT_STORE_JOB, data: { storeId } satisfies ProjectStoreJob, opts: jobOptions(storeId) })),
    );
  }
}
