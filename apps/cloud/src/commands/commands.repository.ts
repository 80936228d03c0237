import { Injectable } from '@nestjs/common';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { JsonValue, SyncDomain } from '@app/contracts';
import type { CommandStatus } from '@app/sync';
import type { Actor } from '../common/actor.js';
import { SqlPool } from '../database/sql-pool.js';
import { byBytes, fromJsonColumn, toJsonColumn } from '../database/sql-values.js';
import type { Tx } from '../database/transaction-runner.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { CommandChanges, CommandRow } from './command-row.js';

/** Statuses of a command that is not done: it still blocks the later commands of its domain. */
export const OPEN_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'DEAD_LETTER'] as const satisfies readonly CommandStatus[];

const COLUMNS = `id, tenantId, storeId, seq, domain, type, revision, baseRevision, revisionId, payload, issuedAt, expiresAt, keyId, signature,
  status, attempts, maxAttempts, availableAt, deliveredAt, ackDeadlineAt, ackedAt, appliedRevision, lastErrorCode, lastErrorDetail,
  supersededById, createdAt, updatedAt`;

/** The same columns of the table aliased `c`. */
const C_COLUMNS = COLUMNS.replace(/(\w+)/g, 'c.$1');

interface CommandDbRow extends RowDataPacket, Omit<CommandRow, 'payload'> {
  payload: unknown;
}

function toRow(db: CommandDbRow): CommandRow {
  return { ...db, payload: fromJsonColumn<Record<string, JsonValue>>(db.payload) } as CommandRow;
}

export interface CommandLogEntry {
  commandId: string;
  fromStatus: CommandStatus | null;
  toStatus: CommandStatus;
  event: string;
  attempt: number;
  errorCode?: string | null;
  errorDetail?: string | null;
  actor: Actor;
  at: Date;
}

export interface DueTimerRow {
  id: string;
  tenantId: string;
  attempts: number;
  dueAt: Date;
}

/** Where a walk of due timers stands: the last row it saw. */
export type TimerCursor = Pick<DueTimerRow, 'id' | 'dueAt'>;

/**
 * SyncCommand and SyncCommandLog on the write path: plain SQL inside explicit transactions,
 * because a publish to a thousand stores or a thousand long-polls waking at once must not queue
 * behind an ORM (ENVIRONMENT.md: 0.3 ms a statement against 1.9 ms).
 */
@Injectable()
export class CommandsRepository {
  constructor(private readonly pool: SqlPool) {}

  /** Each store's next command sequence number; the store rows stay locked until commit. */
  async nextSeqs(tx: Tx, scope: TenantScope, storeIds: readonly string[], now: Date): Promise<Map<string, number>> {
    if (storeIds.length === 1) {
      // One statement for the common case: LAST_INSERT_ID(expr) hands the new value back.
      const [result] = await tx.connection.query<ResultSetHeader>(
        'UPDATE Store SET lastCommandSeq = LAST_INSERT_ID(lastCommandSeq + 1), updatedAt = ? WHERE id = ? AND tenantId = ?',
        [now, storeIds[0], scope.tenantId],
      );
      if (result.affectedRows !== 1) throw new Error(`store ${storeIds[0]} vanished while allocating a command seq`);
      return new Map([[storeIds[0]!, Number(result.insertId)]]);
    }
    await tx.connection.query('UPDATE Store SET lastCommandSeq = lastCommandSeq + 1, updatedAt = ? WHERE tenantId = ? AND id IN (?)', [
      now,
      scope.tenantId,
      storeIds,
    ]);
    const [rows] = await tx.connection.query<(RowDataPacket & { id: string; lastCommandSeq: number })[]>(
      'SELECT id, lastCommandSeq FROM Store WHERE tenantId = ? AND id IN (?)',
      [scope.tenantId, storeIds],
    );
    if (rows.length !== storeIds.length) throw new Error('a store vanished while allocating command seqs');
    return new Map(rows.map((r) => [r.id, Number(r.lastCommandSeq)]));
  }

  async insertMany(tx: Tx, rows: readonly CommandRow[]): Promise<void> {
    for (const chunk of byBytes(
      rows.map((row) => ({ row, payload: toJsonColumn(row.payload) })),
      (x) => x.payload.length,
    )) {
      await tx.connection.query(`INSERT INTO SyncCommand (${COLUMNS}) VALUES ?`, [chunk.map(({ row, payload }) => commandValues(row, payload))]);
    }
  }

  /** Locks one command of the tenant (optionally: of one store) for the rest of the transaction. */
  async lock(tx: Tx, scope: TenantScope, id: string, storeId?: string): Promise<CommandRow | null> {
    const [rows] = await tx.connection.query<CommandDbRow[]>(
      `SELECT ${COLUMNS} FROM SyncCommand WHERE id = ? AND tenantId = ?${storeId === undefined ? '' : ' AND storeId = ?'} FOR UPDATE`,
      storeId === undefined ? [id, scope.tenantId] : [id, scope.tenantId, storeId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /**
   * The tenant a command belongs to. Timers start from a job that names only the command; the
   * tenant read here becomes the scope of everything the timer then does.
   */
  async tenantOf(id: string): Promise<string | null> {
    const [rows] = await this.pool.query<(RowDataPacket & { tenantId: string })[]>('SELECT tenantId FROM SyncCommand WHERE id = ?', [id]);
    return rows[0]?.tenantId ?? null;
  }

  /** Applies a transition's changes; the status guard makes a concurrent change a visible no-op. */
  async update(tx: Tx, id: string, expectedStatus: CommandStatus, changes: CommandChanges, now: Date): Promise<boolean> {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    const assignments = [...entries.map(([k]) => `\`${k}\` = ?`), 'updatedAt = ?'].join(', ');
    const [result] = await tx.connection.query<ResultSetHeader>(`UPDATE SyncCommand SET ${assignments} WHERE id = ? AND status = ?`, [
      ...entries.map(([, v]) => v),
      now,
      id,
      expectedStatus,
    ]);
    return result.affectedRows === 1;
  }

  async insertLogs(tx: Tx, scope: TenantScope, logs: readonly CommandLogEntry[]): Promise<void> {
    if (logs.length === 0) return;
    await tx.connection.query(
      'INSERT INTO SyncCommandLog (commandId, tenantId, fromStatus, toStatus, event, attempt, errorCode, errorDetail, actorType, actorId, createdAt) VALUES ?',
      [
        logs.map((l) => [
          l.commandId,
          scope.tenantId,
          l.fromStatus,
          l.toStatus,
          l.event,
          l.attempt,
          l.errorCode ?? null,
          l.errorDetail ?? null,
          l.actor.type,
          l.actor.id,
          l.at,
        ]),
      ],
    );
  }

  /**
   * Whether the store has anything deliverable now: PENDING, due, unexpired, and the lowest-seq
   * open command of its domain (a later revision never overtakes an earlier one; domains are
   * independent). A plain read, so an idle long-poll costs one indexed query.
   */
  async hasDeliverable(scope: TenantScope, storeId: string, now: Date): Promise<boolean> {
    const [rows] = await this.pool.query<RowDataPacket[]>(`SELECT 1 FROM SyncCommand c ${BY_STORE_STATUS} WHERE ${DELIVERABLE} LIMIT 1`, [
      scope.tenantId,
      storeId,
      now,
      now,
    ]);
    return rows.length > 0;
  }

  /**
   * The commands deliverable to this node, locked, together with the node's row while it is
   * active: one statement where a separate node check would cost a round trip per claim. SKIP
   * LOCKED lets two polls of one store (on two replicas) each take what the other has not, so every
   * command is claimed by exactly one of them; a revocation (an UPDATE of the node row) waits for
   * the claim or is seen by it. No rows: nothing deliverable, another poll is claiming, or the
   * node is no longer active (the caller tells which).
   */
  /**
   * Locks the store's deliverable commands, skipping rows another transaction holds (another poll's
   * claim). Only command rows are skipped: the caller has locked the node row beforehand, waiting
   * for it, so a heartbeat writing that row cannot make a claim come back empty.
   */
  async lockDeliverable(tx: Tx, scope: TenantScope, storeId: string, now: Date): Promise<CommandRow[]> {
    const [rows] = await tx.connection.query<CommandDbRow[]>(
      `SELECT ${C_COLUMNS} FROM SyncCommand c ${BY_STORE_STATUS} WHERE ${DELIVERABLE} ORDER BY c.seq FOR UPDATE SKIP LOCKED`,
      [scope.tenantId, storeId, now, now],
    );
    return rows.map(toRow);
  }

  /** The open commands of one domain of a store, oldest first, locked. */
  async lockOpenOfDomain(tx: Tx, scope: TenantScope, storeId: string, domain: SyncDomain): Promise<CommandRow[]> {
    const [rows] = await tx.connection.query<CommandDbRow[]>(
      `SELECT ${COLUMNS} FROM SyncCommand FORCE INDEX (SyncCommand_storeId_domain_seq_idx) WHERE tenantId = ? AND storeId = ? AND domain = ` +
        `? AND status IN (?) ORDER BY seq FOR UPDATE`,
      [scope.tenantId, storeId, domain, OPEN_STATUSES],
    );
    return rows.map(toRow);
  }

  /**
   * The open commands of one domain of the stores whose head there is dead-lettered, oldest first,
   * locked; stores without a dead letter are not locked at all. A dead letter is always its
   * domain's head (only the head is ever delivered), so one plain read finds those stores.
   */
  async lockOpenBehindDeadLetters(tx: Tx, scope: TenantScope, storeIds: readonly string[], domain: SyncDomain): Promise<Map<string, CommandRow[]>> {
    const open = new Map<string, CommandRow[]>();
    if (storeIds.length === 0) return open;
    const [dead] = await tx.connection.query<(RowDataPacket & { storeId: string })[]>(
      'SELECT DISTINCT storeId FROM SyncCommand FORCE INDEX (SyncCommand_storeId_status_seq_idx) WHERE tenantId = ? AND storeId IN (?) AND ' +
        "status = 'DEAD_LETTER' AND domain = ?",
      [scope.tenantId, storeIds, domain],
    );
    if (dead.length === 0) return open;
    const [rows] = await tx.connection.query<CommandDbRow[]>(
      `SELECT ${COLUMNS} FROM SyncCommand FORCE INDEX (SyncCommand_storeId_domain_seq_idx) WHERE tenantId = ? AND storeId IN (?) AND domain ` +
        `= ? AND status IN (?) ORDER BY storeId, seq FOR UPDATE`,
      [scope.tenantId, dead.map((d) => d.storeId), domain, OPEN_STATUSES],
    );
    for (const row of rows.map(toRow)) open.set(row.storeId, [...(open.get(row.storeId) ?? []), row]);
    return open;
  }

  /**
   * The armed timers the database implies: the ack deadlines of DELIVERED commands, or the retry
   * times of FAILED ones, in due order after `after` (a page of a walk), due before `before` if
   * given. What a sweep (or a Redis that lost every job) re-arms.
   */
  async timersDue(kind: 'ack-timeout' | 'retry-due', before: Date | null, after: TimerCursor | null, limit: number): Promise<DueTimerRow[]> {
    const [status, column] = kind === 'ack-timeout' ? ['DELIVERED', 'ackDeadlineAt'] : ['FAILED', 'availableAt'];
    const where = [`status = '${status}'`, `${column} IS NOT NULL`];
    const values: unknown[] = [];
    if (before) {
      where.push(`${column} < ?`);
      values.push(before);
    }
    if (after) {
      where.push(`(${column} > ? OR (${column} = ? AND id > ?))`);
      values.push(after.dueAt, after.dueAt, after.id);
    }
    const [rows] = await this.pool.query<(RowDataPacket & DueTimerRow)[]>(
      `SELECT id, tenantId, attempts, ${column} AS dueAt FROM SyncCommand WHERE ${where.join(' AND ')} ORDER BY ${column}, id LIMIT ?`,
      [...values, limit],
    );
    return rows;
  }
}

function commandValues(row: CommandRow, payload: string): unknown[] {
  return [
    row.id,
    row.tenantId,
    row.storeId,
    row.seq,
    row.domain,
    row.type,
    row.revision,
    row.baseRevision,
    row.revisionId,
    payload,
    row.issuedAt,
    row.expiresAt,
    row.keyId,
    row.signature,
    row.status,
    row.attempts,
    row.maxAttempts,
    row.availableAt,
    row.deliveredAt,
    row.ackDeadlineAt,
    row.ackedAt,
    row.appliedRevision,
    row.lastErrorCode,
    row.lastErrorDetail,
    row.supersededById,
    row.createdAt,
    row.updatedAt,
  ];
}

/**
 * The index every delivery query must walk: the store's own rows by status and seq. Left to its
 * statistics (which lag on a table that grew fast) the optimizer may walk all PENDING commands of
 * every store instead; a locking read would then lock other stores' rows as it passes them, and
 * SKIP LOCKED in a concurrent claim would skip a row that was its own to take.
 */
const BY_STORE_STATUS = 'FORCE INDEX (SyncCommand_storeId_status_seq_idx)';

/** Shared WHERE clause of the delivery queries; parameters: tenantId, storeId, now, now. */
const DELIVERABLE = `c.tenantId = ? AND c.storeId = ? AND c.status = 'PENDING' AND c.availableAt <= ? AND c.expiresAt > ?
  AND NOT EXISTS (SELECT 1 FROM SyncCommand e WHERE e.storeId = c.storeId AND e.domain = c.domain AND e.seq < c.seq
                  AND e.status IN ('PENDING', 'DELIVERED', 'FAILED', 'DEAD_LETTER'))`;
