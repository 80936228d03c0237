import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { createTempDir, createTestDatabase, repoRoot, type TempDir, type TestDatabase } from '@app/testing';
import { applyMigrations, MigrationError } from './migration-runner.js';
import { readMigrations } from './migration-files.js';
import { connectionOptions, parseMysqlUrl, withDatabase } from './mysql-url.js';

const migrationsDir = path.join(repoRoot(), 'prisma', 'migrations');

async function query(url: string, sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const connection = await mysql.createConnection(connectionOptions(parseMysqlUrl(url)));
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sql, params);
    return rows;
  } finally {
    await connection.end();
  }
}

describe('applyMigrations', () => {
  let db: TestDatabase;
  let tmp: TempDir;

  beforeEach(async () => {
    db = await createTestDatabase('migrate', { migrate: false });
    tmp = await createTempDir('migrations');
  });

  afterEach(async () => {
    await db.drop();
    await tmp.remove();
  });

  it('should apply every migration once and record it as Prisma does', async () => {
    const files = await readMigrations(migrationsDir);
    const first = await applyMigrations({ databaseUrl: db.url, migrationsDir });
    expect(first.applied).toEqual(files.map((f) => f.name));

    const rows = await query(
      db.url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at, logs FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows).toHaveLength(files.length);
    expect(rows[0]).toMatchObject({ migration_name: files[0]!.name, checksum: files[0]!.checksum, applied_steps_count: 1, rolled_back_at: null, logs: null });
    expect(rows[0]!.finished_at).toBeInstanceOf(Date);
    expect(await query(db.url, 'SHOW TABLES LIKE ?', ['SyncCommand'])).toHaveLength(1);

    const second = await applyMigrations({ databaseUrl: db.url, migrationsDir });
    expect(second).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name), warnings: [] });
  });

  it('should apply each migration once when several processes migrate at the same time', async () => {
    const results = await Promise.all([1, 2, 3].map(() => applyMigrations({ databaseUrl: db.url, migrationsDir })));
    const appliedCount = results.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedCount).toBe((await readMigrations(migrationsDir)).length);
    expect(await query(db.url, 'SELECT COUNT(*) AS n FROM _prisma_migrations')).toEqual([{ n: appliedCount }]);
  });

  it('should create the database when asked', async () => {
    const url = withDatabase(db.url, `${db.name}_new`);
    try {
      await applyMigrations({ databaseUrl: url, migrationsDir, createDatabase: true });
      expect(await query(url, 'SHOW TABLES LIKE ?', ['Tenant'])).toHaveLength(1);
    } finally {
      await query(db.url, `DROP DATABASE IF EXISTS \`${db.name}_new\``);
    }
  });

  it('should record a failed migration with its error and refuse to go on until it is resolved', async () => {
    await mkdir(path.join(tmp.path, '20260101000000_ok'));
    await writeFile(path.join(tmp.path, '20260101000000_ok', 'migration.sql'), 'CREATE TABLE a (id INT PRIMARY KEY);');
    await mkdir(path.join(tmp.path, '20260102000000_broken'));
    await writeFile(path.join(tmp.path, '20260102000000_broken', 'migration.sql'), 'CREATE TABLE b (id INT PRIMARY KEY);\nCREATE TABLE a (id INT);');

    await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: tmp.path })).rejects.toThrow(/migration 20260102000000_broken failed: .*already exists/);
    const rows = await query(db.url, 'SELECT migration_name, finished_at, logs FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((r) => [r.migration_name, r.finished_at === null])).toEqual([
      ['20260101000000_ok', false],
      ['20260102000000_broken', true],
    ]);
    expect(String(rows[1]!.logs)).toMatch(/already exists/);

    await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: tmp.path })).rejects.toThrow(MigrationError);
    await expect(applyMigrations({ databaseUrl: db.url, migrationsDir: tmp.path })).rejects.toThrow(/failed earlier and must be resolved/);
  });

  it('should warn when an applied migration was edited or removed', async () => {
    await mkdir(path.join(tmp.path, '20260101000000_one'));
    await writeFile(path.join(tmp.path, '20260101000000_one', 'migration.sql'), 'CREATE TABLE one (id INT PRIMARY KEY);');
    await applyMigrations({ databaseUrl: db.url, migrationsDir: tmp.path });
    await writeFile(path.join(tmp.path, '20260101000000_one', 'migration.sql'), 'CREATE TABLE one (id BIGINT PRIMARY KEY);');
    const edited = await applyMigrations({ databaseUrl: db.url, migrationsDir: tmp.path });
    expect(edited.warnings).toEqual(['migration 20260101000000_one was modified after it was applied']);
  });
});

describe('parseMysqlUrl', () => {
  it('should read credentials and database, and refuse other schemes', () => {
    expect(parseMysqlUrl('mysql://app:p%40ss@db.local:3307/pos')).toEqual({ host: 'db.local', port: 3307, user: 'app', password: 'p@ss', database: 'pos' });
    expect(() => parseMysqlUrl('postgres://x@y/z')).toThrow(/must start with mysql/);
    expect(() => parseMysqlUrl('mysql://root@127.0.0.1:3306/')).toThrow(/must name a database/);
    expect(() => parseMysqlUrl('not a url')).toThrow(/not a URL/);
  });
});
