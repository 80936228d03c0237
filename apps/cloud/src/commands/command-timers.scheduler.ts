import { Injectable } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import type { CommandTimerJob } from '@app/contracts';
import { JobQueues } from '../queues/job-queues.js';

export const ACK_TIMEOUT_JOB = 'ack-timeout';
export const RETRY_DUE_JOB = 'retry-due';
export type CommandTimerName = typeof ACK_TIMEOUT_JOB | typeof RETRY_DUE_JOB;

/**
 * Arms the command timers as delayed BullMQ jobs. A job id names one delivery (or one failure) of
 * one command: the same timer armed twice (a sweep re-arming what a crash lost) is one job, and a
 * timer of an earlier attempt can never be mistaken for the current one.
 */
@Injectable()
export class CommandTimersScheduler {
  constructor(private readonly jobs: JobQueues) {}

  static jobId(timer: CommandTimerName, job: CommandTimerJob): string {
    return `${timer}-${job.commandId}-${job.attempt}-${job.dueAt}`;
  }

  async arm(timer: CommandTimerName, items: readonly { commandId: string; attempt: number; dueAt: Date }[], now = Date.now()): Promise<void> {
    await this.jobs.addBulk(
      'command-timers',
      items.map((item) => {
        const data: CommandTimerJob = { commandId: item.commandId, attempt: item.attempt, dueAt: item.dueAt.getTime() };
        const opts: JobsOptions = {
          jobId: CommandTimersScheduler.jobId(timer, data),
          delay: Math.max(0, data.dueAt - now),
          // Retried on a transient failure (MySQL restarting); removed either way, so that a sweep
          // can arm a lost timer again under the same id.
          attempts: 5,
          backoff: { type: 'exponential', delay: 1_000 },
          removeOnComplete: true,
          removeOnFail: true,
        };
        return { name: timer, data, opts };
      }),
    );
  }
}
