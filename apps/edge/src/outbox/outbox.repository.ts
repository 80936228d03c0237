import { Inject, Injectable } from '@nestjs/common';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

export interface OutboxRow {
  seq: number;
  origin: 'device' | 'cloud';
  body: string;
}

/** The meta key of the cloud cursor: every event up to it is durable in the cloud (retention reads it too). */
export const CLOUD_CURSOR = 'outbox.cloudCursor';
const LAST_CLOUD_SYNC = 'outbox.lastCloudSyncAt';

/**
 * What the uplink reads: the event log (written by the event store, read here only) and the cloud
 * cursor in `meta`. Events whose `origin` is `cloud` came down from the cloud and never go back up.
 */
@Injectable()
export class OutboxRepository {
  private readonly stmts;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.stmts = {
      rowsAfter: db.prepare<[number, number], OutboxRow>('SELECT seq, origin, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      depth: db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM events WHERE seq > ? AND origin = 'device'"),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  /** Every event after `afterSeq` (both origins, so the caller can step over the cloud's), in seq order. */
  rowsAfter(afterSeq: number, limit: number): OutboxRow[] {
    return this.stmts.rowsAfter.all(afterSeq, limit);
  }

  /** Events of device origin after `afterSeq`: what the cloud does not hold yet. */
  depthAfter(afterSeq: number): number {
    return this.stmts.depth.get(afterSeq)?.n ?? 0;
  }

  cloudCursor(): number {
    return Number(this.stmts.getMeta.get(CLOUD_CURSOR)?.value ?? 0);
  }

  lastCloudSyncAt(): string | null {
    return this.stmts.getMeta.get(LAST_CLOUD_SYNC)?.value ?? null;
  }

  /** Inside the caller's transaction, with its audit entry. */
  saveCursor(cursor: number, syncedAt: string): void {
    this.stmts.setMeta.run(CLOUD_CURSOR, String(cursor));
    this.stmts.setMeta.run(LAST_CLOUD_SYNC, syncedAt);
  }
}
