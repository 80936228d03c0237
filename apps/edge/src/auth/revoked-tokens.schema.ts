/**
 * Cluster-token subjects the hub refuses (revoked nodes' agent tokens). Times are Unix seconds;
 * a row is dropped once `tokens_expire_by` plus the offline grace has passed.
 */
export const REVOKED_TOKENS_SCHEMA = `
  CREATE TABLE revoked_tokens (
    sub              TEXT PRIMARY KEY,
    revoked_at       INTEGER NOT NULL,
    tokens_expire_by INTEGER NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('cloud', 'self')),
    recorded_at      TEXT NOT NULL
  ) STRICT;
`;
