import { Injectable, Logger } from '@nestjs/common';
import type { CommandTimerJob } from '@app/contracts';
import type { CommandEvent } from '@app/sync';
import { SYSTEM_ACTOR } from '../common/actor.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import type { CommandRow } from './command-row.js';
import { ACK_TIMEOUT_JOB, CommandTimersScheduler, RETRY_DUE_JOB, type CommandTimerName } from './command-timers.scheduler.js';
import { CommandTransitions } from './command-transitions.service.js';
import { CommandsRepository, type TimerCursor } from './commands.repository.js';

export type TimerOutcome = 'applied' | 'stale';

/**
 * How long past its due time a timer is presumed lost (its job never ran) and is armed again. A
 * timer due a moment ago may still be waiting for a worker; arming it again is harmless anyway.
 */
export const LOST_TIMER_GRACE_MS = 5_000;
const REARM_PAGE_SIZE = 500;
/** Bounds one walk: 2,000 pages of 500 commands per timer. */
const MAX_REARM_PAGES = 2_000;

export interface RearmReport {
  ackTimeouts: number;
  retries: number;
}

/**
 * What the command timers do when they fire. Each re-reads its command under a lock and acts only
 * if the command is still in the very delivery (or failure) the timer was armed for; otherwise
 * the timer is stale (acked meanwhile, retried by support, ...) and a logged no-op.
 */
@Injectable()
export class CommandTimersService {
  private readonly logger = new Logger(CommandTimersService.name);

  constructor(
    private readonly commands: CommandsRepository,
    private readonly transitions: CommandTransitions,
    private readonly scheduler: CommandTimersScheduler,
    private readonly transactions: TransactionRunner,
    private readonly metrics: CloudMetrics,
  ) {}

  /** The ack deadline of a delivery passed: FAILED with a retry armed, or DEAD_LETTER after the last attempt. */
  ackTimeout(job: CommandTimerJob): Promise<TimerOutcome> {
    return this.fire(ACK_TIMEOUT_JOB, job, (row) => row.status === 'DELIVERED' && row.ackDeadlineAt?.getTime() === job.dueAt, { type: 'ACK_TIMEOUT' });
  }

  /** A failed command's backoff is over: PENDING again, and its store's polls are woken. */
  retryDue(job: CommandTimerJob): Promise<TimerOutcome> {
    return this.fire(RETRY_DUE_JOB, job, (row) => row.status === 'FAILED' && row.availableAt.getTime() === job.dueAt, { type: 'RETRY_DUE' });
  }

  /**
   * Re-arms the timers that should have fired more than `graceMs` ago and did not (a process
   * died between committing a delivery and arming its timer, or Redis lost the job). Same job
   * ids: a timer still queued is not doubled, and one that runs late is a no-op if the command
   * moved on. Walks every overdue command, `pageSize` at a time.
   */
  rearmLost(now = new Date(), pageSize = REARM_PAGE_SIZE, graceMs = LOST_TIMER_GRACE_MS): Promise<RearmReport> {
    return this.rearm(new Date(now.getTime() - graceMs), now, pageSize);
  }

  /**
   * Arms the timer of every DELIVERED and FAILED command, due or not: what a Redis that lost all
   * its jobs (restarted empty, flushed) needs. Each fires at its own due time.
   */
  rearmAll(now = new Date(), pageSize = REARM_PAGE_SIZE): Promise<RearmReport> {
    return this.rearm(null, now, pageSize);
  }

  private async rearm(before: Date | null, now: Date, pageSize: number): Promise<RearmReport> {
    const report: RearmReport = { ackTimeouts: 0, retries: 0 };
    for (const timer of [ACK_TIMEOUT_JOB, RETRY_DUE_JOB] as const) {
      let after: TimerCursor | null = null;
      for (let page = 0; page < MAX_REARM_PAGES; page += 1) {
        const rows = await this.commands.timersDue(timer, before, after, pageSize);
        if (rows.length === 0) break;
        await this.scheduler.arm(
          timer,
          rows.map((r) => ({ commandId: r.id, attempt: r.attempts, dueAt: r.dueAt })),
          now.getTime(),
        );
        if (timer === ACK_TIMEOUT_JOB) report.ackTimeouts += rows.length;
        else report.retries += rows.length;
        if (rows.length < pageSize) break;
        after = rows.at(-1)!;
      }
    }
    if (before && report.ackTimeouts + report.retries > 0)
      this.logger.warn(`re-armed ${report.ackTimeouts} ack timeout(s) and ${report.retries} retry timer(s) that had not fired`);
    return report;
  }

  private async fire(timer: CommandTimerName, job: CommandTimerJob, current: (row: CommandRow) => boolean, event: CommandEvent): Promise<TimerOutcome> {
    // Read before the transaction: inside it, a second pool connection could be one too many.
    const tenantId = await this.commands.tenantOf(job.commandId);
    const outcome = await this.transactions.run(async (tx): Promise<TimerOutcome> => {
      if (!tenantId) return 'stale';
      const scope = tenantScope(tenantId);
      const row = await this.commands.lock(tx, scope, job.commandId);
      if (!row || row.attempts !== job.attempt || !current(row)) return 'stale';
      const result = await this.transitions.apply(tx, scope, row, event, {
        actor: SYSTEM_ACTOR,
        now: new Date(),
        errorCode: event.type === 'ACK_TIMEOUT' ? 'ACK_TIMEOUT' : null,
        errorDetail: event.type === 'ACK_TIMEOUT' ? 'no ack before the deadline' : null,
      });
      return result.applied ? 'applied' : 'stale';
    });
    this.metrics.commandTimers.inc({ timer, outcome });
    if (outcome === 'stale') this.logger.debug(`${timer} of command ${job.commandId} attempt ${job.attempt} is stale`);
    return outcome;
  }
}
