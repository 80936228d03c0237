import { KNOWN_DEVICES_SCHEMA } from '../auth/known-devices.schema.js';
import { REVOKED_TOKENS_SCHEMA } from '../auth/revoked-tokens.schema.js';
import { EVENT_STORE_SCHEMA } from '../event-store/event-store.schema.js';
import { LOG_RETENTION_SCHEMA } from '../retention/log-retention.schema.js';

/**
 * The edge's SQLite schema, one entry per version (PRAGMA user_version). Append only: a hub
 * upgraded in a store applies the versions it has not seen, in one transaction each.
 */
export const EDGE_MIGRATIONS: readonly string[] = [
  // 1: key/value facts about this hub (its id, cursors, the health probe).
  `CREATE TABLE meta (
     key   TEXT PRIMARY KEY,
     value TEXT NOT NULL
   ) STRICT;`,
  // 2 (state, commands, trust, audit): each synced domain's state with its applied revision, the
  // commands applied (idempotency by command id), the cloud's trusted command keys, the local audit.
  `CREATE TABLE domain_state (
     domain     TEXT PRIMARY KEY,
     revision   INTEGER NOT NULL,
     state      TEXT NOT NULL,
     updated_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE applied_commands (
     command_id       TEXT PRIMARY KEY,
     command_seq      INTEGER NOT NULL,
     domain           TEXT NOT NULL,
     type             TEXT NOT NULL,
     applied_revision INTEGER NOT NULL,
     applied_at       TEXT NOT NULL
   ) STRICT;
   CREATE TABLE trusted_signing_keys (
     key_id     TEXT PRIMARY KEY,
     public_key TEXT NOT NULL,
     token_iat  INTEGER NOT NULL,
     trusted_at TEXT NOT NULL
   ) STRICT;
   CREATE TABLE audit_log (
     id      INTEGER PRIMARY KEY AUTOINCREMENT,
     at      TEXT NOT NULL,
     actor   TEXT NOT NULL,
     action  TEXT NOT NULL,
     target  TEXT,
     details TEXT
   ) STRICT;`,
  // event store (seq, dedupe, versions, leases) and the read models: orders, tickets, inventory.
  EVENT_STORE_SCHEMA,
  // devices seen with a valid cluster token (the offline grace of SYSTEM.md 4.5).
  KNOWN_DEVICES_SCHEMA,
  // revoked cluster-token subjects (node revocations from the cloud, or an agent's own report).
  REVOKED_TOKENS_SCHEMA,
  // log retention: the ids of pruned events (dedupe) and the marks that date the log.
  LOG_RETENTION_SCHEMA,
];
