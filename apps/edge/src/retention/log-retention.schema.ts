/**
 * Log retention's tables (one entry of EDGE_MIGRATIONS). `pruned_events` keeps the id and seq of
 * every event pruned from the log, so a device resending one long after gets its original seq as
 * a duplicate, never a second copy (about 60 bytes an event against its whole body).
 * `log_marks` dates the log without touching the append path: each prune run records the latest
 * seq at that time, so every event up to a mark's seq was appended at or before its time.
 */
export const LOG_RETENTION_SCHEMA = `
  CREATE TABLE pruned_events (
    event_id TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE log_marks (
    seq INTEGER PRIMARY KEY,
    at  INTEGER NOT NULL
  ) STRICT;
`;
