import { Injectable, Logger } from '@nestjs/common';
import { isSnapshotCommandType, type ApplyCommandResponse, type CommandEnvelope } from '@app/contracts';
import { applyCommandToState, checkCommandEnvelope } from '@app/sync';
import { EdgeAuditService } from '../audit/audit.service.js';
import { EdgeConfig } from '../config/edge-config.js';
import { SqliteTransaction } from '../database/sqlite-transaction.js';
import { DeviceNotifier } from '../gateway/device-notifier.js';
import { StateService } from '../state/state.service.js';
import { TrustService } from '../trust/trust.service.js';
import { checkIfMatch } from './if-match-check.js';
import { AppliedCommandsRepository } from './applied-commands.repository.js';
import { CommandsException } from './commands.exception.js';

/**
 * Applies the cloud's signed commands to the store's state. The hub checks the signature itself
 * (the agent is not trusted to have done it), applies each command once, and announces the new
 * revision to the devices once it is committed.
 */
@Injectable()
export class CommandsService {
  private readonly logger = new Logger(CommandsService.name);

  constructor(
    private readonly trust: TrustService,
    private readonly state: StateService,
    private readonly applied: AppliedCommandsRepository,
    private readonly audit: EdgeAuditService,
    private readonly transaction: SqliteTransaction,
    private readonly notifier: DeviceNotifier,
    private readonly config: EdgeConfig,
  ) {}

  apply(raw: unknown, ifMatch: string | undefined, actor: string): ApplyCommandResponse {
    try {
      return this.applyOnce(raw, ifMatch, actor);
    } catch (error) {
      if (error instanceof CommandsException) this.recordRefusal(raw, error, actor);
      throw error;
    }
  }

  /** A refused command leaves a trace too: a forged or replayed command is worth knowing about. */
  private recordRefusal(raw: unknown, error: CommandsException, actor: string): void {
    const commandId = (raw as { commandId?: unknown } | null)?.commandId;
    try {
      this.audit.record({
        actor,
        action: 'command.refused',
        target: typeof commandId === 'string' ? commandId.slice(0, 64) : null,
        details: { code: error.code, message: error.message.slice(0, 500) },
      });
    } catch (auditError) {
      // The refusal is the answer that matters; a trail that cannot be written is logged, not returned.
      this.logger.error({ err: auditError }, `could not audit the refusal of a command (${error.code})`);
    }
  }

  private applyOnce(raw: unknown, ifMatch: string | undefined, actor: string): ApplyCommandResponse {
    const checked = checkCommandEnvelope(raw, {
      keyring: this.trust.keyring(),
      realm: this.config,
      now: Date.now(),
      earlierResultOf: (e) => this.applied.find(e.commandId) ?? null,
    });
    if (!checked.ok) throw CommandsException.fromRefusal(checked);
    if (checked.earlier !== null) return { commandId: checked.earlier.commandId, appliedRevision: checked.earlier.appliedRevision, alreadyApplied: true };
    const { envelope, payload } = checked;
    checkIfMatch(ifMatch, envelope);
    const result = this.transaction.run(() => this.applyChecked(envelope, payload, actor));
    if (!result.alreadyApplied) {
      this.state.changed(envelope.domain);
      this.notifier.stateChanged(envelope.domain, result.appliedRevision);
    }
    return result;
  }

  /** The domain change, the applied-commands row and the audit entry: one transaction. */
  private applyChecked(envelope: CommandEnvelope, payload: Record<string, unknown>, actor: string): ApplyCommandResponse {
    const earlier = this.applied.find(envelope.commandId);
    if (earlier) return { commandId: earlier.commandId, appliedRevision: earlier.appliedRevision, alreadyApplied: true };
    const current = this.state.current(envelope.domain);
    const snapshot = isSnapshotCommandType(envelope.type);
    if (!snapshot && current.revision !== envelope.baseRevision) {
      throw CommandsException.revisionConflict(envelope.baseRevision ?? 0, current.revision, envelope.domain);
    }
    this.state.replace(envelope.domain, envelope.revision, applyCommandToState(envelope.type, current.state, payload));
    const appliedAt = new Date().toISOString();
    this.applied.insert({
      commandId: envelope.commandId,
      commandSeq: envelope.seq,
      domain: envelope.domain,
      type: envelope.type,
      appliedRevision: envelope.revision,
      appliedAt,
    });
    this.audit.record({
      actor,
      action: 'command.applied',
      target: envelope.commandId,
      details: {
        seq: envelope.seq,
        domain: envelope.domain,
        type: envelope.type,
        keyId: envelope.keyId,
        fromRevision: current.revision,
        toRevision: envelope.revision,
      },
    });
    return { commandId: envelope.commandId, appliedRevision: envelope.revision, alreadyApplied: false };
  }
}
