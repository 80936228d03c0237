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
import { CommandsRepository } from './commands.repository.js';

export type TimerOutcome = 'applied' | 'stale';

/** How long past its due time a timer is presumed lost (its job never ran) and is armed again. */
export const LOST_TIMER_GRACE_MS = 30_000;

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
   * Re-arms timers that should have fired long ago (a process died between committing a delivery
   * and arming its timer). Same job ids: a timer still queued is not doubled.
   */
  async rearmLost(now = new Date(), limit = 500, graceMs = LOST_TIMER_GRACE_MS): Promise<{ ackTimeouts: number; retries: number }> {
    const before = new Date(now.getTime() - graceMs);
    const [delivered, failed] = await Promise.all([this.commands.overdueDelivered(before, limit), this.commands.overdueFailed(before, limit)]);
    await this.scheduler.arm(ACK_TIMEOUT_JOB, delivered.map((r) => ({ commandId: r.id, attempt: r.attempts, dueAt: r.dueAt })), now.getTime());
    await this.scheduler.arm(RETRY_DUE_JOB, failed.map((r) => ({ commandId: r.id, attempt: r.attempts, dueAt: r.dueAt })), now.getTime());
    if (delivered.length + failed.length > 0) this.logger.warn(`re-armed ${delivered.length} ack timeout(s) and ${failed.length} retry timer(s) that had not fired`);
    return { ackTimeouts: delivered.length, retries: failed.length };
  }

  private async fire(timer: CommandTimerName, job: CommandTimerJob, current: (row: CommandRow) => boolean, event: CommandEvent): Promise<TimerOutcome> {
    // Read before the transaction: inside it, a second pool connection could be one too many.
    const tenantId = await this.commands.tenantOf(job.commandId);
    const outcome = await this.transactions.run(async (tx): Promise<TimerOutcome> => {
      if (!tenantId) return 'stale';
      const scope = tenantScope(tenantId);
      const row = await this.commands.lock(tx, scope, job.commandId);
      if (!row || row.attempts !== job.attempt || !current(row)) return 'stale';
      const result = await this.transitions.apply(tx, scope, row, event, { actor: SYSTEM_ACTOR, now: new Date(), errorCode: event.type === 'ACK_TIMEOUT' ? 'ACK_TIMEOUT' : null, errorDetail: event.type === 'ACK_TIMEOUT' ? 'no ack before the deadline' : null });
      return result.applied ? 'applied' : 'stale';
    });
    this.metrics.commandTimers.inc({ timer, outcome });
    if (outcome === 'stale') this.logger.debug(`${timer} of command ${job.commandId} attempt ${job.attempt} is stale`);
    return outcome;
  }
}
