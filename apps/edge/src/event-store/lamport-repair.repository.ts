import type { SqliteDatabase } from '../database/sqlite-database.js';

export interface EventPastBound {
  seq: number;
  eventId: string;
  type: string;
  lamport: number;
}

/** What the Lamport repair reads and writes in the hub's database (apps/edge/src/event-store/lamport-repair.ts). */
export class LamportRepairRepository {
  private readonly stmts;

  constructor(private readonly db: SqliteDatabase) {
    this.stmts = {
      past: db.prepare<[number], { seq: number; event_id: string; type: string; lamport: number }>(
        'SELECT seq, event_id, type, lamport FROM events WHERE lamport > ? ORDER BY seq',
      ),
      clockWithin: db.prepare<[number], { lamport: number | null }>('SELECT MAX(lamport) AS lamport FROM events WHERE lamport <= ?'),
      clock: db.prepare<[], { lamport: number | null }>('SELECT MAX(lamport) AS lamport FROM events'),
      setLamport: db.prepare('UPDATE events SET lamport = ? WHERE seq = ?'),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  clock(): number {
    return this.stmts.clock.get()?.lamport ?? 0;
  }

  eventsPast(max: number): EventPastBound[] {
    return this.stmts.past.all(max).map((row) => ({ seq: row.seq, eventId: row.event_id, type: row.type, lamport: row.lamport }));
  }

  /** The clock as the events at or below `max` make it. */
  clockWithin(max: number): number {
    return this.stmts.clockWithin.get(max)?.lamport ?? 0;
  }

  /**
   * Sets the `lamport` column (the hub's index of its clock) of these events to `lamport` and
   * appends a record of what it was to `meta` `lamport.repairs`, in one transaction. The bodies,
   * as the devices and the cloud have them, are left alone.
   */
  rewrite(events: readonly EventPastBound[], lamport: number, record: Record<string, unknown>): void {
    this.db.transaction(() => {
      for (const event of events) this.stmts.setLamport.run(lamport, event.seq);
      const previous = JSON.parse(this.stmts.getMeta.get('lamport.repairs')?.value ?? '[]') as unknown[];
      this.stmts.setMeta.run('lamport.repairs', JSON.stringify([...previous, record]));
    })();
  }
}
