import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type AgentSqlite = Database.Database;

/** Injection token of the agent's SQLite connection. Only repositories use it. */
export const AGENT_SQLITE = Symbol('AGENT_SQLITE');

export const AGENT_DB_FILE = 'agent.sqlite';

/** Append-only: an entry applied anywhere is never edited; `user_version` counts the applied ones. */
export const AGENT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE applied_commands (
     command_id TEXT PRIMARY KEY,
     seq INTEGER NOT NULL UNIQUE,
     domain TEXT NOT NULL,
     result TEXT NOT NULL,
     recorded_at TEXT NOT NULL
   );
   CREATE TABLE pending_acks (
     command_id TEXT PRIMARY KEY,
     ack TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE cursors (
     name TEXT PRIMARY KEY,
     value INTEGER NOT NULL,
     updated_at TEXT NOT NULL
   );`,
];

/**
 * Opens the agent's own state: which commands it settled and with what result, the acks not yet
 * delivered, its cursors. WAL with synchronous=FULL: what the agent recorded before acking
 * survives a power cut, so a command is never applied twice because the agent forgot it.
 */
export function openAgentDatabase(dataDir: string): AgentSqlite {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, AGENT_DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > AGENT_MIGRATIONS.length) {
    db.close();
    throw new Error(
      `${AGENT_DB_FILE} is at schema version ${current}, newer than this agent (${AGENT_MIGRATIONS.length}): refusing to run an older agent on it`,
    );
  }
  for (let version = current + 1; version <= AGENT_MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      db.exec(AGENT_MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return db;
}
