import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { EDGE_MIGRATIONS } from './edge-migrations.js';

export type SqliteDatabase = Database.Database;

/** Injection token of the hub's SQLite connection. Only repositories use it. */
export const SQLITE = Symbol('SQLITE');

export const EVENTS_FILE = 'events.sqlite';

/**
 * WAL pages after which a commit checkpoints the WAL itself. The hub's WalCheckpointer thread
 * normally keeps the WAL far below this: it is the bound should that thread stop or fall behind.
 */
export const WAL_BACKSTOP_PAGES = 4_000;

/**
 * Opens the hub's database. WAL with synchronous=FULL: a commit that returned is on disk, so an
 * acknowledged event survives power loss, not only a crash (SYSTEM.md 4.1).
 */
export function openEdgeDatabase(dataDir: string): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, EVENTS_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: SqliteDatabase): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > EDGE_MIGRATIONS.length) {
    throw new Error(`the database is at schema version ${current}, newer than this software (${EDGE_MIGRATIONS.length}): refusing to run an older hub on it`);
  }
  for (let version = current + 1; version <= EDGE_MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      db.exec(EDGE_MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return EDGE_MIGRATIONS.length;
}
