import path from 'node:path';
import mysql from 'mysql2/promise';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';
import { compareSchema, createTestDatabase, readDatabaseSchema, readPrismaDatamodel, repoRoot, type DmmfDatamodel, type TestDatabase } from '@app/testing';

async function exec(url: string, sql: string): Promise<void> {
  const connection = await mysql.createConnection(connectionOptions(parseMysqlUrl(url)));
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

describe('the migrations and the Prisma datamodel', () => {
  let datamodel: DmmfDatamodel;
  let db: TestDatabase;

  beforeAll(async () => {
    datamodel = await readPrismaDatamodel(path.join(repoRoot(), 'prisma', 'schema.prisma'));
  });

  beforeEach(async () => {
    db = await createTestDatabase('drift');
  });

  afterEach(async () => {
    await db.drop();
  });

  it('should agree: the migrated database is exactly the datamodel', async () => {
    expect(compareSchema(datamodel, await readDatabaseSchema(db.url))).toEqual([]);
  });

  // The check itself must be able to fail: each case breaks the migrated database one way.
  it.each([
    ['a missing column', 'ALTER TABLE `Store` DROP COLUMN `timezone`', 'column Store.timezone is missing from the database'],
    ['an extra column', 'ALTER TABLE `Store` ADD COLUMN `color` VARCHAR(10) NULL', 'column Store.color exists in the database but not in the datamodel'],
    ['a wrong type', 'ALTER TABLE `SyncCommand` MODIFY `seq` BIGINT NOT NULL', 'SyncCommand.seq: type is bigint(20), the datamodel says int'],
    ['a wrong length', 'ALTER TABLE `Store` MODIFY `code` VARCHAR(40) NOT NULL', 'Store.code: length is 40, the datamodel says 32'],
    ['a nullable required column', 'ALTER TABLE `Operator` MODIFY `email` VARCHAR(254) NULL', 'Operator.email: is nullable, the datamodel says required'],
    [
      'a missing enum value',
      "ALTER TABLE `SyncCommand` MODIFY `status` ENUM('PENDING','DELIVERED','ACKED','FAILED','DEAD_LETTER') NOT NULL DEFAULT 'PENDING'",
      'SyncCommand.status: enum values are',
    ],
    ['a changed default', "ALTER TABLE `Store` ALTER `timezone` SET DEFAULT 'Europe/Paris'", 'Store.timezone: default is europe/paris, the datamodel says utc'],
    [
      'a missing unique index',
      'ALTER TABLE `IngestedEvent` DROP INDEX `IngestedEvent_tenantId_storeId_eventId_key`',
      'IngestedEvent: unique(tenantId,storeId,eventId) is missing from the database',
    ],
    [
      'a missing foreign key',
      'ALTER TABLE `SyncCommandLog` DROP FOREIGN KEY `SyncCommandLog_commandId_fkey`',
      'SyncCommandLog: foreign key commandId -> SyncCommand(id) on delete RESTRICT is missing',
    ],
    ['an extra table', 'CREATE TABLE `Stray` (id INT PRIMARY KEY)', 'table Stray exists in the database but not in the datamodel'],
    ['a missing table', 'DROP TABLE `AuditLog`', 'table AuditLog is missing from the database'],
  ])('should report %s', async (_label, sql, problem) => {
    await exec(db.url, sql);
    const problems = compareSchema(datamodel, await readDatabaseSchema(db.url)).map((d) => d.problem);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
  });
});
