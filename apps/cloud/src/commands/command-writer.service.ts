import { Injectable } from '@nestjs/common';
import { uuidv7, type CommandType, type JsonValue, type SyncDomain } from '@app/contracts';
import type { Actor } from '../common/actor.js';
import { CloudConfig } from '../config/cloud-config.js';
import type { Tx } from '../database/transaction-runner.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { CommandRow } from './command-row.js';
import { CommandSigner } from './command-signer.service.js';
import { CommandWakeupService } from './command-wakeup.service.js';
import { CommandsRepository } from './commands.repository.js';

export interface NewCommand {
  storeId: string;
  domain: SyncDomain;
  type: CommandType;
  revision: number;
  baseRevision: number | null;
  revisionId: string | null;
  payload: Record<string, JsonValue>;
  actor: Actor;
  /** The first log entry's event: PUBLISHED (an operator's revision) or RECONCILED (a repair). */
  event: 'PUBLISHED' | 'RECONCILED';
}

/**
 * Creates a command inside the caller's transaction: the store's next `seq`, the envelope signed
 * at creation, the row (PENDING), its first SyncCommandLog entry, and, after commit, a wake-up of
 * the store's long-polls on every replica.
 */
@Injectable()
export class CommandWriter {
  constructor(
    private readonly config: CloudConfig,
    private readonly commands: CommandsRepository,
    private readonly signer: CommandSigner,
    private readonly wakeups: CommandWakeupService,
    private readonly metrics: CloudMetrics,
  ) {}

  async create(tx: Tx, scope: TenantScope, input: NewCommand, now: Date): Promise<CommandRow> {
    return (await this.createMany(tx, scope, [input], now))[0]!;
  }

  /** One command for each input (one per store): the same few statements for one store or a thousand. */
  async createMany(tx: Tx, scope: TenantScope, inputs: readonly NewCommand[], now: Date): Promise<CommandRow[]> {
    const storeIds = inputs.map((i) => i.storeId);
    if (new Set(storeIds).size !== storeIds.length) throw new Error('createMany makes one command per store');
    const seqs = await this.commands.nextSeqs(tx, scope, storeIds, now);
    const rows = inputs.map((input): CommandRow => {
      const seq = seqs.get(input.storeId)!;
      const envelope = this.signer.sign(
        {
          commandId: uuidv7(now.getTime()),
          tenantId: scope.tenantId,
          storeId: input.storeId,
          seq,
          domain: input.domain,
          type: input.type,
          revision: input.revision,
          baseRevision: input.baseRevision,
          payload: input.payload,
        },
        now,
      );
      return {
        id: envelope.commandId,
        tenantId: scope.tenantId,
        storeId: input.storeId,
        seq,
        domain: input.domain,
        type: input.type,
        revision: input.revision,
        baseRevision: input.baseRevision,
        revisionId: input.revisionId,
        payload: input.payload,
        issuedAt: new Date(envelope.issuedAt),
        expiresAt: new Date(envelope.expiresAt),
        keyId: envelope.keyId,
        signature: envelope.signature,
        status: 'PENDING',
        attempts: 0,
        maxAttempts: this.config.commands.maxAttempts,
        availableAt: now,
        deliveredAt: null,
        ackDeadlineAt: null,
        ackedAt: null,
        appliedRevision: null,
        lastErrorCode: null,
        lastErrorDetail: null,
        supersededById: null,
        createdAt: now,
        updatedAt: now,
      };
    });
    await this.commands.insertMany(tx, rows);
    await this.commands.insertLogs(
      tx,
      scope,
      rows.map((row, i) => ({
        commandId: row.id,
        fromStatus: null,
        toStatus: 'PENDING' as const,
        event: inputs[i]!.event,
        attempt: 0,
        actor: inputs[i]!.actor,
        at: now,
      })),
    );
    for (const input of inputs) this.metrics.commandTransitions.inc({ event: input.event, status: 'PENDING' });
    tx.afterCommit(() => this.wakeups.wakeMany(storeIds));
    return rows;
  }
}
