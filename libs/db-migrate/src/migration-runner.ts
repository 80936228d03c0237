import { randomUUID } from 'node:crypto';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { readMigrations } from './migration-files.js';
import { connectionOptions, parseMysqlUrl } from './mysql-url.js';

export interface MigrateOptions {
  databaseUrl: string;
  migrationsDir: string;
  /** Create the database when it does not exist (db:migrate does; the cloud at start does not). */
  createDatabase?: boolean;
  log?: (message: string) => void;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
  warnings: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The table `prisma migrate deploy` keeps, created exactly as Prisma creates it on MySQL. */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/** Prisma takes the same advisory lock, so this runner and `prisma migrate deploy` exclude each other. */
const LOCK_NAME = 'prisma_migrate';
const LOCK_TIMEOUT_SECONDS = 60;

interface AppliedRow extends RowDataPacket {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending migrations of a Prisma migrations folder, recording each in
 * `_prisma_migrations` as Prisma does, so that `prisma migrate deploy` and this runner agree on
 * what is applied. Idempotent; safe to run from several processes at once (advisory lock).
 */
export async function applyMigrations(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const target = parseMysqlUrl(options.databaseUrl);
  if (options.createDatabase) {
    const admin = await mysql.createConnection(connectionOptions(target, false));
    try {
      await admin.query(`CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await admin.end();
    }
  }
  const migrations = await readMigrations(options.migrationsDir);
  const connection = await mysql.createConnection({ ...connectionOptions(target), multipleStatements: true });
  try {
    const [[lock]] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS acquired', [LOCK_NAME, LOCK_TIMEOUT_SECONDS]);
    if (lock?.acquired !== 1) throw new MigrationError(`could not take the migration lock within ${LOCK_TIMEOUT_SECONDS} s`);
    try {
      return await applyPending(connection, migrations, log);
    } finally {
      await connection.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await connection.end();
  }
}

async function applyPending(
  connection: Connection,
  migrations: Awaited<ReturnType<typeof readMigrations>>,
  log: (message: string) => void,
): Promise<MigrateResult> {
  await connection.query(MIGRATIONS_TABLE_DDL);
  const [rows] = await connection.query<AppliedRow[]>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
  );
  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed.length > 0) {
    throw new MigrationError(
      `migration ${failed.map((r) => r.migration_name).join(', ')} failed earlier and must be resolved by hand ` +
        '(fix the database, then mark it applied or rolled back in _prisma_migrations, as with prisma migrate resolve)',
    );
  }
  const finished = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
  const known = new Set(migrations.map((m) => m.name));
  const result: MigrateResult = { applied: [], alreadyApplied: [], warnings: [] };
  for (const row of finished.values()) {
    if (!known.has(row.migration_name)) result.warnings.push(`migration ${row.migration_name} is applied but missing from the migrations folder`);
  }
  for (const migration of migrations) {
    const done = finished.get(migration.name);
    if (done) {
      if (done.checksum !== migration.checksum) result.warnings.push(`migration ${migration.name} was modified after it was applied`);
      result.alreadyApplied.push(migration.name);
      continue;
    }
    const id = randomUUID();
    await connection.query('INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, NOW(3), 0)', [
      id,
      migration.checksum,
      migration.name,
    ]);
    try {
      await connection.query(migration.sql);
    } catch (error) {
      const message = (error as Error).message;
      await connection.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [message, id]);
      throw new MigrationError(`migration ${migration.name} failed: ${message}`);
    }
    await connection.query('UPDATE _prisma_migrations SET finished_at = NOW(3), applied_steps_count = 1 WHERE id = ?', [id]);
    result.applied.push(migration.name);
    log(`applied ${migration.name}`);
  }
  for (const warning of result.warnings) log(`warning: ${warning}`);
  return result;
}
