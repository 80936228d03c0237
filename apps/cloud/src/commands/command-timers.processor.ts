import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bullmq';
import { commandTimerJobSchema, parseOrThrow } from '@app/contracts';
import { JobQueues } from '../queues/job-queues.js';
import { RedisStateWatch } from '../queues/redis-state-watch.js';
import { ACK_TIMEOUT_JOB, RETRY_DUE_JOB } from './command-timers.scheduler.js';
import { CommandTimersService } from './command-timers.service.js';

/** Timers are I/O-bound: a burst of them (a fleet timing out together) runs in parallel. */
const CONCURRENCY = 16;

/**
 * The BullMQ worker of the command timers: checks the job and hands it to CommandTimersService.
 * The timers live only in Redis, so it also has them rebuilt from the database: all of them when
 * Redis lost its state, and at every sweep those overdue whose job is missing.
 */
@Injectable()
export class CommandTimersProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobQueues,
    private readonly timers: CommandTimersService,
    private readonly watch: RedisStateWatch,
  ) {}

  onModuleInit(): void {
    this.watch.whenLost('command timers', () => this.timers.rearmAll());
    this.watch.everySweep('overdue command timers', () => this.timers.rearmLost());
  }

  onApplicationBootstrap(): void {
    this.jobs.startWorker('command-timers', (job) => this.process(job), CONCURRENCY);
  }

  process(job: Job): Promise<string> {
    const data = parseOrThrow(commandTimerJobSchema, job.data, `${job.name} job`);
    switch (job.name) {
      case ACK_TIMEOUT_JOB:
        return this.timers.ackTimeout(data);
      case RETRY_DUE_JOB:
        return this.timers.retryDue(data);
      default:
        throw new Error(`unknown command timer '${job.name}'`);
    }
  }
}
