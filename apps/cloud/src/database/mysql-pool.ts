import mysql, { type Pool } from 'mysql2/promise';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';

/** Injection token of the mysql2 pool that bulk paths use where the ORM is too slow. */
export const MYSQL_POOL = Symbol('MYSQL_POOL');

export function createMysqlPool(databaseUrl: string, size: number): Pool {
  const pool = mysql.createPool({ ...connectionOptions(parseMysqlUrl(databaseUrl)), connectionLimit: size, waitForConnections: true });
  // mysql2 exposes the raw connection on this event; the session runs in UTC like Prisma's.
  pool.pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'");
  });
  return pool;
}
