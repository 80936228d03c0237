import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EventBase } from '@app/contracts';

export interface OutboxEntry {
  id: number;
  event: EventBase;
}

/**
 * A device's local state in one SQLite file: the outbox of events not yet acknowledged by the hub
 * (in the order they were appended) and the catch-up cursor. WAL with synchronous=NORMAL: an
 * appended event survives the device app crashing; the hub, not the device, is the durable copy
 * against power loss. `:memory:` keeps nothing across restarts (tests, the benchmark's readers).
 */
export class DeviceStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS device_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `);
    this.stmts = {
      add: this.db.prepare('INSERT INTO outbox (event_id, body) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING'),
      idOf: this.db.prepare<[string], { id: number }>('SELECT id FROM outbox WHERE event_id = ?'),
      remove: this.db.prepare('DELETE FROM outbox WHERE id = ?'),
      all: this.db.prepare<[], { id: number; body: string }>('SELECT id, body FROM outbox ORDER BY id'),
      count: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox'),
      get: this.db.prepare<[string], { value: string }>('SELECT value FROM device_meta WHERE key = ?'),
      set: this.db.prepare('INSERT INTO device_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  /** Adds an event to the outbox (once per eventId); returns its position. */
  enqueue(event: EventBase): number {
    this.stmts.add.run(event.eventId, JSON.stringify(event));
    return this.stmts.idOf.get(event.eventId)!.id;
  }

  remove(id: number): void {
    this.stmts.remove.run(id);
  }

  pending(): OutboxEntry[] {
    return this.stmts.all.all().map((row) => ({ id: row.id, event: JSON.parse(row.body) as EventBase }));
  }

  outboxSize(): number {
    return this.stmts.count.get()!.n;
  }

  cursor(): number {
    return Number(this.stmts.get.get('cursor')?.value ?? 0);
  }

  saveCursor(cursor: number): void {
    this.stmts.set.run('cursor', String(cursor));
  }

  /** The hub this cursor belongs to: a cursor of another hub (a replaced box) is worthless. */
  hubId(): string | null {
    return this.stmts.get.get('hub')?.value ?? null;
  }

  saveHubId(hubId: string): void {
    this.stmts.set.run('hub', hubId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
