import { Injectable, Logger } from '@nestjs/common';
import { backoffDelayMs, nextCommandState, type CommandEvent, type CommandStatus } from '@app/sync';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { CloudConfig } from '../config/cloud-config.js';
import type { Tx } from '../database/transaction-runner.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import { DomainStatesRepository } from '../sync-state/domain-states.repository.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { CommandChanges, CommandRow } from './command-row.js';
import { CommandSigner } from './command-signer.service.js';
import { ACK_TIMEOUT_JOB, CommandTimersScheduler, RETRY_DUE_JOB } from './command-timers.scheduler.js';
import { CommandWakeupService } from './command-wakeup.service.js';
import { CommandsRepository } from './commands.repository.js';

export interface TransitionContext {
  actor: Actor;
  now: Date;
  errorCode?: string | null;
  errorDetail?: string | null;
  /** ACK_OK: the revision the store reports it applied. */
  appliedRevision?: number;
  /** SUPERSEDE: the snapshot that replaces the command. */
  supersededById?: string;
  /** MANUAL_RETRY: why support retried it (audited). */
  reason?: string | null;
}

export type TransitionOutcome = { applied: true; row: CommandRow; from: CommandStatus } | { applied: false; row: CommandRow; reason: string };

/** The SyncCommandLog `event` of each state-machine event. */
const LOG_EVENT: Record<CommandEvent['type'], string> = {
  DELIVER: 'DELIVERED',
  ACK_OK: 'ACKED',
  ACK_FAILED: 'ACK_FAILED',
  ACK_TIMEOUT: 'ACK_TIMEOUT',
  RETRY_DUE: 'RETRY_DUE',
  MANUAL_RETRY: 'MANUAL_RETRY',
  SUPERSEDE: 'SUPERSEDED',
};

/**
 * Applies one state-machine event (libs/sync nextCommandState) to a command locked in the caller's
 * transaction, and writes everything that goes with it in that transaction: the row, its
 * SyncCommandLog entry, the audit entry of an outcome (acked, failed, dead-lettered, retried,
 * superseded) and the applied revision of an ack. Timers and wake-ups are armed after commit.
 * An event the machine refuses (a stale timer, a repeated ack) changes nothing and says why.
 */
@Injectable()
export class CommandTransitions {
  private readonly logger = new Logger(CommandTransitions.name);

  constructor(
    private readonly config: CloudConfig,
    private readonly commands: CommandsRepository,
    private readonly domainStates: DomainStatesRepository,
    private readonly audit: AuditService,
    private readonly timers: CommandTimersScheduler,
    private readonly wakeups: CommandWakeupService,
    private readonly signer: CommandSigner,
    private readonly metrics: CloudMetrics,
  ) {}

  async apply(tx: Tx, scope: TenantScope, row: CommandRow, event: CommandEvent, ctx: TransitionContext): Promise<TransitionOutcome> {
    if (event.type === 'ACK_OK' && ctx.appliedRevision !== undefined) {
      // The store's word about what it holds stands whatever the command's state.
      await this.domainStates.raiseApplied(tx, scope, row.storeId, row.domain, ctx.appliedRevision, ctx.now);
    }
    const next = nextCommandState(row, event);
    if (!next.ok) return { applied: false, row, reason: next.reason };
    if (!next.changed) return { applied: false, row, reason: `already ${row.status}` };
    const changes = this.changesFor(row, event, next.status, next.attempts, ctx);
    if (!(await this.commands.update(tx, row.id, row.status, changes, ctx.now))) {
      // Cannot happen while the row is locked; if it does, the caller's view of the row is wrong.
      throw new Error(`command ${row.id} changed under its lock`);
    }
    const updated: CommandRow = { ...row, ...changes, updatedAt: ctx.now };
    await this.commands.insertLogs(tx, scope, [
      {
        commandId: row.id,
        fromStatus: row.status,
        toStatus: updated.status,
        event: LOG_EVENT[event.type],
        attempt: updated.attempts,
        errorCode: event.type === 'ACK_FAILED' || event.type === 'ACK_TIMEOUT' ? updated.lastErrorCode : null,
        errorDetail: event.type === 'ACK_FAILED' || event.type === 'ACK_TIMEOUT' ? updated.lastErrorDetail : null,
        actor: ctx.actor,
        at: ctx.now,
      },
    ]);
    await this.recordOutcome(tx, scope, row, updated, event, ctx);
    this.afterCommit(tx, updated, event);
    return { applied: true, row: updated, from: row.status };
  }

  private changesFor(row: CommandRow, event: CommandEvent, status: CommandStatus, attempts: number, ctx: TransitionContext): CommandChanges {
    const { now } = ctx;
    switch (event.type) {
      case 'DELIVER':
        return { status, attempts, deliveredAt: now, ackDeadlineAt: new Date(now.getTime() + this.config.commands.ackTimeoutSeconds * 1000) };
      case 'ACK_OK':
        return { status, ackedAt: now, appliedRevision: ctx.appliedRevision ?? row.revision };
      case 'ACK_FAILED':
      case 'ACK_TIMEOUT': {
        const failure = {
          status,
          lastErrorCode: ctx.errorCode ?? (event.type === 'ACK_TIMEOUT' ? 'ACK_TIMEOUT' : 'INTERNAL'),
          lastErrorDetail: ctx.errorDetail ?? null,
        };
        if (status !== 'FAILED') return failure;
        const delay = backoffDelayMs(Math.max(1, row.attempts), { baseMs: this.config.commands.retryBaseMs, maxMs: this.config.commands.retryMaxMs });
        return { ...failure, availableAt: new Date(now.getTime() + delay) };
      }
      case 'RETRY_DUE':
        return { status };
      case 'MANUAL_RETRY':
        return { status, attempts, availableAt: now, ...(this.signer.needsResigning(row, now) ? this.signer.resign(row, now) : {}) };
      case 'SUPERSEDE':
        return { status, supersededById: ctx.supersededById ?? null };
    }
  }

  private async recordOutcome(tx: Tx, scope: TenantScope, before: CommandRow, after: CommandRow, event: CommandEvent, ctx: TransitionContext): Promise<void> {
    this.metrics.commandTransitions.inc({ event: LOG_EVENT[event.type], status: after.status });
    const action = outcomeAction(after.status, event);
    if (!action) return;
    const details: Record<string, unknown> = {
      seq: after.seq,
      domain: after.domain,
      revision: after.revision,
      attempt: after.attempts,
      fromStatus: before.status,
    };
    if (after.status === 'FAILED' || after.status === 'DEAD_LETTER')
      Object.assign(details, { errorCode: after.lastErrorCode, errorDetail: after.lastErrorDetail });
    if (after.status === 'FAILED') details.nextAttemptAt = after.availableAt.toISOString();
    if (after.status === 'ACKED') details.appliedRevision = after.appliedRevision;
    if (after.status === 'SUPERSEDED') details.supersededById = after.supersededById;
    if (event.type === 'MANUAL_RETRY') Object.assign(details, { reason: ctx.reason ?? null, resigned: after.signature !== before.signature });
    await this.audit.record(tx, scope, { storeId: after.storeId, actor: ctx.actor, action, targetType: 'command', targetId: after.id, details });
  }

  private afterCommit(tx: Tx, row: CommandRow, event: CommandEvent): void {
    if (row.status === 'DELIVERED' && row.ackDeadlineAt) {
      tx.afterCommit(() => this.timers.arm(ACK_TIMEOUT_JOB, [{ commandId: row.id, attempt: row.attempts, dueAt: row.ackDeadlineAt! }]));
    }
    if (row.status === 'FAILED') {
      tx.afterCommit(() => this.timers.arm(RETRY_DUE_JOB, [{ commandId: row.id, attempt: row.attempts, dueAt: row.availableAt }]));
    }
    // Deliverable again, or the next command of the domain may be.
    if (row.status === 'PENDING' || row.status === 'ACKED' || row.status === 'SUPERSEDED') {
      tx.afterCommit(() => this.wakeups.wake(row.storeId));
    }
    if (event.type === 'ACK_TIMEOUT' || row.status === 'DEAD_LETTER') {
      this.logger.log(`command ${row.id} (store ${row.storeId}, seq ${row.seq}) is ${row.status} after attempt ${row.attempts}: ${row.lastErrorCode ?? ''}`);
    }
  }
}

function outcomeAction(status: CommandStatus, event: CommandEvent): string | null {
  if (event.type === 'MANUAL_RETRY') return 'command.retried';
  switch (status) {
    case 'ACKED':
      return 'command.acked';
    case 'FAILED':
      return 'command.failed';
    case 'DEAD_LETTER':
      return 'command.dead_lettered';
    case 'SUPERSEDED':
      return 'command.superseded';
    case 'PENDING':
    case 'DELIVERED':
      return null;
  }
}
