import { Injectable } from '@nestjs/common';
import type { AuditEntryView, AuditListResponse } from '@app/contracts';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { TransactionRunner, type Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { AuditRepository, type AuditRow, type NewAuditEntry } from './audit.repository.js';

const isAuditCursor = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/** Writes the audit log with the action it records, and serves it newest first. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Inside the transaction of the action: both commit or neither does. */
  record(tx: Tx, scope: TenantScope, ...entries: NewAuditEntry[]): Promise<void> {
    return this.audit.insert(tx, scope, entries);
  }

  /** For actions that change nothing else in MySQL (a login, a token handed out). */
  recordNow(scope: TenantScope, ...entries: NewAuditEntry[]): Promise<void> {
    return this.transactions.run((tx) => this.audit.insert(tx, scope, entries));
  }

  async list(scope: TenantScope, query: { storeId?: string; limit: number; cursor?: string }): Promise<AuditListResponse> {
    const beforeId = decodeCursor(query.cursor, isAuditCursor);
    const rows = await this.audit.list(scope, { storeId: query.storeId, beforeId, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return { entries: page.map(toAuditEntryView), nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!.id) : null };
  }
}

function toAuditEntryView(row: AuditRow): AuditEntryView {
  return {
    id: row.id,
    at: row.createdAt.toISOString(),
    storeId: row.storeId,
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: row.actorType === 'OPERATOR' ? row.actorEmail : null,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    details: row.details,
  };
}
