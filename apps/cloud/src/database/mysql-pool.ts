import mysql, { type Pool } from 'mysql2/promise';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';

/** Injection token of the mysql2 pool that bulk paths use where the ORM is too slow. */
export const MYSQL_POOL = Symbol('MYSQL_POOL');

export function createMysqlPool(databaseUrl: string, size: number): Pool {
  const pool = mysql.createPool({
    ...connectionOptions(parseMysqlUrl(databaseUrl)),
    connectionLimit: size,
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
  });
  return pool;
}
