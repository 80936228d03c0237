import { Injectable } from '@nestjs/common';
import type { BlockingDeadLetterView, BulkRetryResponse, CommandDetailView, CommandListResponse, CommandStatusName, CommandView } from '@app/contracts';
import { AppException, NotFoundException } from '@app/nest-kit';
import { blockingDeadLetter } from '@app/sync';
import type { OperatorPrincipal } from '../auth/principals.js';
import { operatorActor } from '../common/actor.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { StoresService } from '../stores/stores.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { CommandQueriesRepository, type CommandListRow } from './command-queries.repository.js';
import { CommandTransitions } from './command-transitions.service.js';
import { toCommandDetailView, toCommandView } from './command-views.js';
import { CommandsException } from './commands.exception.js';
import { CommandsRepository } from './commands.repository.js';

type ListCursor = [string, string];
const isListCursor = (v: unknown): v is ListCursor =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string';

/** What support staff do with commands: list them, read one with its logs, retry. */
@Injectable()
export class CommandOpsService {
  constructor(
    private readonly queries: CommandQueriesRepository,
    private readonly commands: CommandsRepository,
    private readonly transitions: CommandTransitions,
    private readonly stores: StoresService,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(scope: TenantScope, query: { storeId?: string; status?: CommandStatusName; limit: number; cursor?: string }): Promise<CommandListResponse> {
    if (query.storeId !== undefined) await this.stores.require(scope, query.storeId);
    const cursor = decodeCursor(query.cursor, isListCursor);
    const rows = await this.queries.list(scope, {
      storeId: query.storeId,
      status: query.status,
      after: cursor ? { createdAt: new Date(cursor[0]), id: cursor[1] } : undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const blockers = await this.blockers(scope, page);
    return {
      commands: page.map((r) => toCommandView(r, blockers.get(r.id) ?? null)),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async detail(scope: TenantScope, commandId: string): Promise<CommandDetailView> {
    const row = await this.queries.detail(scope, commandId);
    if (!row) throw new NotFoundException('command', commandId);
    return toCommandDetailView(row, (await this.blockers(scope, [row])).get(row.id) ?? null);
  }

  /**
   * The dead letter each PENDING command of the rows waits behind, if any: what support is shown
   * as the reason it is not delivered. One query for the page.
   */
  private async blockers(scope: TenantScope, rows: readonly CommandListRow[]): Promise<Map<string, BlockingDeadLetterView>> {
    const pending = rows.filter((r) => r.status === 'PENDING');
    const keys = [...new Map(pending.map((r) => [`${r.storeId}/${r.domain}`, { storeId: r.storeId, domain: r.domain }])).values()];
    const dead = await this.queries.deadLettersOf(scope, keys);
    const heads = new Map<string, (typeof dead)[number]>();
    for (const d of dead) if (!heads.has(`${d.storeId}/${d.domain}`)) heads.set(`${d.storeId}/${d.domain}`, d);
    const blockers = new Map<string, BlockingDeadLetterView>();
    for (const row of pending) {
      const head = blockingDeadLetter(row, heads.get(`${row.storeId}/${row.domain}`));
      if (head) blockers.set(row.id, { commandId: head.id, seq: head.seq, errorCode: head.lastErrorCode });
    }
    return blockers;
  }

  /** DEAD_LETTER or FAILED → PENDING, attempts reset, re-signed if it is about to expire; audited. */
  async retry(operator: OperatorPrincipal, commandId: string, reason: string | undefined): Promise<CommandView> {
    await this.retryOne(operator, commandId, reason);
    const [row] = await this.queries.byIds(operator.scope, [commandId]);
    return toCommandView(row!, (await this.blockers(operator.scope, [row!])).get(commandId) ?? null);
  }

  /** Each command in its own transaction: one that cannot be retried does not hold back the rest. */
  async bulkRetry(operator: OperatorPrincipal, commandIds: readonly string[], reason: string | undefined): Promise<BulkRetryResponse> {
    const retried: string[] = [];
    const skipped: BulkRetryResponse['skipped'] = [];
    for (const commandId of new Set(commandIds)) {
      try {
        await this.retryOne(operator, commandId, reason);
        retried.push(commandId);
      } catch (error) {
        if (!(error instanceof AppException)) throw error;
        skipped.push({ commandId, code: error.code, message: error.message });
      }
    }
    const rows = retried.length > 0 ? await this.queries.byIds(operator.scope, retried) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const blockers = await this.blockers(operator.scope, rows);
    return { retried: retried.map((id) => toCommandView(byId.get(id)!, blockers.get(id) ?? null)), skipped };
  }

  private retryOne(operator: OperatorPrincipal, commandId: string, reason: string | undefined): Promise<void> {
    return this.transactions.run(async (tx) => {
      const row = await this.commands.lock(tx, operator.scope, commandId);
      if (!row) throw new NotFoundException('command', commandId);
      const outcome = await this.transitions.apply(
        tx,
        operator.scope,
        row,
        { type: 'MANUAL_RETRY' },
        { actor: operatorActor(operator.operatorId), now: new Date(), reason: reason ?? null },
      );
      if (!outcome.applied) throw CommandsException.notRetryable(commandId, row.status);
    });
  }
}
