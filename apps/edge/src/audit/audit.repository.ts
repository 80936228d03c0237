import { Inject, Injectable } from '@nestjs/common';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

export interface NewEdgeAuditEntry {
  /** Who did it: the `sub` of the caller's cluster token, or `hub` for the hub itself. */
  actor: string;
  action: string;
  target: string | null;
  details?: Record<string, unknown> | null;
}

export interface EdgeAuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
}

/** The hub's append-only audit trail: this repository inserts and reads, never updates or deletes. */
@Injectable()
export class EdgeAuditRepository {
  private readonly insertRow;
  private readonly selectPage;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.insertRow = db.prepare<[string, string, string, string | null, string | null]>(
      'INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectPage = db.prepare<[number, number], AuditRow>(
      'SELECT id, at, actor, action, target, details FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
    );
  }

  /** Joins the caller's transaction when there is one, so an action and its entry commit together. */
  insert(entry: NewEdgeAuditEntry): void {
    this.insertRow.run(new Date().toISOString(), entry.actor, entry.action, entry.target, entry.details ? JSON.stringify(entry.details) : null);
  }

  /** Newest first; `beforeId` continues a page. */
  list(limit: number, beforeId = Number.MAX_SAFE_INTEGER): EdgeAuditEntry[] {
    return this.selectPage
      .all(beforeId, limit)
      .map((row) => ({ ...row, details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>) }));
  }
}
