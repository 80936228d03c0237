import { Injectable, Logger } from '@nestjs/common';
import { ContractValidationError, isRetryableAckError, type CommandAck, type CommandAckResponse } from '@app/contracts';
import { NotFoundException } from '@app/nest-kit';
import type { CommandEvent } from '@app/sync';
import type { NodePrincipal } from '../auth/principals.js';
import { nodeActor } from '../common/actor.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { CommandTransitions } from './command-transitions.service.js';
import { CommandsRepository } from './commands.repository.js';

/**
 * Records an agent's result for a command of its own store. Acks are idempotent: a repeated ack,
 * a failure reported after the command moved on, or a success for a command that a snapshot
 * superseded change nothing and answer with the command's status (`changed: false`). A late
 * success is still the truth about the store: its applied revision is recorded.
 */
@Injectable()
export class CommandAckService {
  private readonly logger = new Logger(CommandAckService.name);

  constructor(
    private readonly commands: CommandsRepository,
    private readonly transitions: CommandTransitions,
    private readonly transactions: TransactionRunner,
  ) {}

  async ack(node: NodePrincipal, commandId: string, ack: CommandAck): Promise<CommandAckResponse> {
    if (ack.commandId.toLowerCase() !== commandId.toLowerCase()) {
      throw new ContractValidationError([{ path: 'commandId', code: 'mismatch', message: 'must be the command of the URL' }], 'request body');
    }
    const event: CommandEvent = ack.status === 'ACKED' ? { type: 'ACK_OK' } : { type: 'ACK_FAILED', retryable: isRetryableAckError(ack.errorCode!) };
    return this.transactions.run(async (tx) => {
      // Scoped to the node's store: another store's command is as unknown as a missing one.
      const row = await this.commands.lock(tx, node.scope, commandId, node.storeId);
      if (!row) throw new NotFoundException('command', commandId);
      const outcome = await this.transitions.apply(tx, node.scope, row, event, {
        actor: nodeActor(node.nodeId),
        now: new Date(),
        errorCode: ack.errorCode ?? null,
        errorDetail: ack.errorDetail ?? null,
        appliedRevision: ack.status === 'ACKED' ? (ack.appliedRevision ?? undefined) : undefined,
      });
      if (!outcome.applied) this.logger.debug(`ack ${ack.status} of command ${commandId} changed nothing: ${outcome.reason}`);
      return { commandId: row.id, status: outcome.row.status, changed: outcome.applied };
    });
  }
}
