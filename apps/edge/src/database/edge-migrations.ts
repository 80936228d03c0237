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
];
