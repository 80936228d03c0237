import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { applyMigrations, connectionOptions, parseMysqlUrl, withDatabase } from '@app/db-migrate';
import { repoRoot } from '../repo-root.js';

/** Databases the harness creates start with this, and carry the creating process id. */
export const TEST_DATABASE_PREFIX = 'pos_t_';

export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test';
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function sanitize(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
}

/**
 * A fresh database for one test file, migrated with the project's migrations unless told not to.
 * Its name carries the process id so a later run can drop what a crashed run left behind.
 */
export async function createTestDatabase(label: string, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${sanitize(label)}_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(testServerUrl(), name);
  const admin = await mysql.createConnection(connectionOptions(parseMysqlUrl(url), false));
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  if (options.migrate !== false) {
    await applyMigrations({ databaseUrl: url, migrationsDir: path.join(repoRoot(), 'prisma', 'migrations') });
  }
  return { name, url, drop: () => dropDatabase(url, name) };
}

async function dropDatabase(url: string, name: string): Promise<void> {
  const admin = await mysql.createConnection(connectionOptions(parseMysqlUrl(url), false));
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.end();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops test databases whose creating process is gone (a crashed or killed run). */
export async function dropOrphanTestDatabases(): Promise<string[]> {
  const admin = await mysql.createConnection(connectionOptions(parseMysqlUrl(testServerUrl()), false));
  try {
    const [rows] = await admin.query<RowDataPacket[]>('SHOW DATABASES');
    const orphans = rows
      .map((r) => String(r.Database))
      .filter((db) => db.startsWith(TEST_DATABASE_PREFIX))
      .filter((db) => !processAlive(Number(db.slice(TEST_DATABASE_PREFIX.length).split('_')[0])));
    for (const db of orphans) await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    return orphans;
  } finally {
    await admin.end();
  }
}
