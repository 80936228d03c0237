import { Injectable, Logger } from '@nestjs/common';
import type { CommandAck, CommandEnvelope } from '@app/contracts';
import { checkCommandEnvelope, type EnvelopeCheck } from '@app/sync';
import { HttpUnreachableError } from '../common/http-json.js';
import { AgentStateRepository, type SettledCommand } from '../database/agent-state.repository.js';
import { EdgeClient } from '../edge/edge-client.js';
import { TrustHandoffService } from '../edge/trust-handoff.service.js';
import { IdentityService } from '../identity/identity.service.js';
import { AgentMetrics } from '../heartbeat/agent-metrics.js';
import { ackableIdOf } from './ackable-id.js';
import { applyOutcomeOf, type ApplyOutcome } from './edge-apply-outcome.js';

const APPLY_TIMEOUT_MS = 30_000;

/**
 * One delivered command from envelope to recorded ack: verify (signature and key, store, replay,
 * expiry, payload), apply through the hub, record the outcome, queue the ack. The ack itself is
 * sent by CommandAcksService, so an ack the cloud did not get is sent again, even after a crash.
 */
@Injectable()
export class CommandProcessor {
  private readonly logger = new Logger(CommandProcessor.name);

  constructor(
    private readonly identity: IdentityService,
    private readonly edge: EdgeClient,
    private readonly trust: TrustHandoffService,
    private readonly state: AgentStateRepository,
    private readonly metrics: AgentMetrics,
  ) {}

  /** Returns the ack queued for the command, or null when the envelope cannot even be answered. */
  async process(raw: unknown, signal?: AbortSignal): Promise<CommandAck | null> {
    const ids = ackableIdOf(raw);
    if (!ids) {
      this.metrics.count('commands_unanswerable');
      this.logger.error(`a delivered command has no usable commandId, it cannot be acked: ${JSON.stringify(raw).slice(0, 300)}`);
      return null;
    }
    const envelope = raw as Record<string, unknown>;
    const { commandId } = ids;

    let checked = this.check(envelope);
    if (!checked.ok && checked.code === 'UNKNOWN_KEY') {
      // Keys rotate: the cloud may sign with a key published after this node last looked.
      this.logger.log(`command ${commandId} is signed with a key this node does not know: refreshing the keys`);
      await this.identity.renew();
      checked = this.check(envelope);
    }
    if (!checked.ok) return this.refuse(commandId, checked.code, checked.message);
    if (checked.earlier !== null) {
      const { earlier } = checked;
      this.metrics.count('commands_replayed');
      this.logger.warn(
        `command ${commandId} (seq ${checked.envelope.seq}) was applied before as ${earlier.commandId}: acking the earlier result, not applying it again`,
      );
      const ack = { ...earlier.ack, commandId };
      this.state.queueAck(ack);
      return ack;
    }
    const command = checked.envelope;

    let outcome = await this.apply(envelope, command, signal);
    if (!outcome.ok && outcome.code === 'UNKNOWN_KEY') {
      // The hub has not been handed the current keys yet (it was down when they changed).
      await this.trust.push();
      outcome = await this.apply(envelope, command, signal);
    }
    // Stopping mid-apply: whatever the hub did, the redelivered command finds it (the hub is idempotent by commandId).
    if (signal?.aborted) throw new Error(`stopped while applying command ${commandId}`);
    const appliedAt = new Date();
    if (outcome.ok) {
      const ack: CommandAck = { commandId, status: 'ACKED', appliedRevision: outcome.appliedRevision, appliedAt: appliedAt.toISOString() };
      this.state.settle(command, ack, appliedAt);
      this.metrics.count('commands_applied');
      this.logger.log(
        `${command.type} ${commandId} (seq ${command.seq}) ${outcome.alreadyApplied ? 'was already applied' : 'applied'}: ` +
          `${command.domain} at revision ${outcome.appliedRevision}`,
      );
      return ack;
    }
    return this.refuse(commandId, outcome.code, outcome.detail, command);
  }

  /** The check the hub makes too (libs/sync), with this node's record of what it settled as the replay lookup. */
  private check(envelope: Record<string, unknown>): EnvelopeCheck<SettledCommand> {
    return checkCommandEnvelope(envelope, {
      keyring: this.identity.commandKeys,
      realm: this.identity.current,
      now: Date.now(),
      earlierResultOf: (e) => this.state.findSettled(e.commandId, e.seq),
    });
  }

  private async apply(envelope: Record<string, unknown>, command: CommandEnvelope, signal?: AbortSignal): Promise<ApplyOutcome> {
    const headers: Record<string, string> = command.baseRevision === null ? {} : { 'if-match': String(command.baseRevision) };
    const answer = await this.edge
      .call('POST', '/api/v1/commands/apply', envelope, { headers, timeoutMs: APPLY_TIMEOUT_MS, signal })
      .catch((error: unknown) => {
        if (error instanceof HttpUnreachableError) return error;
        throw error;
      });
    return applyOutcomeOf(answer);
  }

  /**
   * A failure is acked but not recorded as settled: the cloud decides whether it comes back (a
   * retryable code, or a support retry), and a command that comes back is judged again.
   */
  private refuse(commandId: string, code: CommandAck['errorCode'] & string, detail: string, command?: CommandEnvelope): CommandAck {
    const ack: CommandAck = { commandId, status: 'FAILED', errorCode: code, errorDetail: detail.slice(0, 4_000), appliedAt: new Date().toISOString() };
    this.state.queueAck(ack);
    this.metrics.count('commands_failed');
    this.logger.warn(`command ${commandId}${command ? ` (${command.type}, seq ${command.seq})` : ''} failed ${code}: ${detail}`);
    return ack;
  }
}
