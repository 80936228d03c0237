/**
 * The event store's tables and the read models the hub keeps in the same transaction as each
 * event (one entry of EDGE_MIGRATIONS). `events.body` is the stored event as JSON, `seq` included,
 * so a page of catch-up is read without rebuilding any object.
 */
export const EVENT_STORE_SCHEMA = `
  CREATE TABLE events (
    seq            INTEGER PRIMARY KEY,
    event_id       TEXT NOT NULL UNIQUE,
    aggregate_type TEXT NOT NULL,
    aggregate_id   TEXT NOT NULL,
    version        INTEGER NOT NULL,
    type           TEXT NOT NULL,
    lamport        INTEGER NOT NULL,
    origin         TEXT NOT NULL,
    body           TEXT NOT NULL
  ) STRICT;
  CREATE INDEX events_lamport ON events (lamport);
  CREATE TABLE aggregates (
    aggregate_type TEXT NOT NULL,
    aggregate_id   TEXT NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE order_leases (
    order_id   TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE orders (
    order_id    TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    items       TEXT NOT NULL,
    table_id    TEXT,
    note        TEXT,
    total_cents INTEGER,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    last_seq    INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX orders_status ON orders (status, updated_at);
  CREATE TABLE tickets (
    ticket_id  TEXT PRIMARY KEY,
    station    TEXT NOT NULL,
    order_id   TEXT NOT NULL,
    status     TEXT NOT NULL,
    items      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_seq   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX tickets_station ON tickets (station, status, created_at);
  CREATE TABLE inventory_counters (
    sku     TEXT NOT NULL,
    node_id TEXT NOT NULL,
    p       INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (sku, node_id)
  ) STRICT, WITHOUT ROWID;
`;
