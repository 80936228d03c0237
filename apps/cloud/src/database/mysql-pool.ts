import mysql from 'mysql2/promise';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';
import { SqlPool, type SqlPoolOptions } from './sql-pool.js';

/**
 * The session's SQL mode: strict, so a value outside its column is refused, never clamped or
 * zeroed (the contracts bound every value first; this is the last line). INSERT IGNORE still
 * downgrades such errors to warnings, which is why the ingest's values are bounded by schema.
 */
export const SESSION_SQL_MODE = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

export interface MysqlPoolSettings extends SqlPoolOptions {
  databaseUrl: string;
  size: number;
}

/** The mysql2 pool that bulk paths use where the ORM is too slow, behind SqlPool. */
export function createMysqlPool(settings: MysqlPoolSettings): SqlPool {
  const pool = mysql.createPool({
    ...connectionOptions(parseMysqlUrl(settings.databaseUrl)),
    connectionLimit: settings.size,
    waitForConnections: true,
    // The ingest's prepared multi-row inserts differ by row count; keep few per connection (the
    // server's max_prepared_stmt_count is shared by every connection of every replica).
    maxPreparedStatements: 32,
    // No async stack capture per query: it cost more than the query's own work on hot paths.
    trace: false,
  });
  // mysql2 exposes the raw connection on this event; the session runs in UTC like Prisma's.
  // READ COMMITTED: the write path locks the rows it works on explicitly (FOR UPDATE, conditional
  // updates) and wants no gap locks, which under REPEATABLE READ make concurrent "check, then
  // insert" transactions (registrations, publishes, claims) deadlock on each other's gaps.
  pool.pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'");
    connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    connection.query(`SET SESSION sql_mode = '${SESSION_SQL_MODE}'`);
  });
  return new SqlPool(pool, { acquireTimeoutMs: settings.acquireTimeoutMs, queryTimeoutMs: settings.queryTimeoutMs });
}
