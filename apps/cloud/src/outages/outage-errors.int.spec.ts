import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';
import { createRedisPrefix, createTestDatabase, deleteRedisPrefix, freePort, TcpProxy, testRedisUrl, type TestDatabase } from '@app/testing';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from '../database/generated/client.js';
import { RedisUnavailableError } from '../redis/redis-availability.js';
import { outageException, outageOf } from './outage-errors.js';

/** The error a promise rejects with (it must reject). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function prismaOn(url: string, acquireTimeout: number): PrismaClient {
  const target = parseMysqlUrl(url);
  return new PrismaClient({
    adapter: new PrismaMariaDb({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      connectionLimit: 2,
      acquireTimeout,
    }),
  });
}

/** Real errors from the real drivers, each told apart: an outage is a 503, a bad statement is not. */
describe(outageOf.name, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('outage-errors');
  });

  afterAll(async () => {
    await db.drop();
  });

  describe('mysql2 (the write path)', () => {
    it('should call a refused connection and a connection lost mid-statement a database outage', async () => {
      const { proxy, url } = await TcpProxy.inFrontOf(db.url);
      const pool = mysql.createPool({ ...connectionOptions(parseMysqlUrl(url)), connectionLimit: 2 });
      try {
        const held = await pool.getConnection();
        await held.query('SELECT 1');
        const sleeping = held.query('SELECT SLEEP(5)');
        await proxy.cut();
        const lost = await rejection(sleeping);
        // A reset connection: mysql2 reports the socket's error, fatal.
        expect(lost).toMatchObject({ code: 'ECONNRESET', fatal: true });
        expect(outageOf(lost)).toBe('database');
        held.release();
        const refused = await rejection(pool.query('SELECT 1'));
        expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
        expect(outageOf(refused)).toBe('database');
      } finally {
        await pool.end().catch(() => undefined);
        await proxy.close();
      }
    });

    it('should call a lock wait timeout a database outage, and a bad statement or a duplicate key nothing of the kind', async () => {
      const a = await mysql.createConnection(connectionOptions(parseMysqlUrl(db.url)));
      const b = await mysql.createConnection(connectionOptions(parseMysqlUrl(db.url)));
      try {
        await a.query('CREATE TABLE outage_probe (id INT PRIMARY KEY)');
        await a.query('INSERT INTO outage_probe VALUES (1)');
        const duplicate = await rejection(a.query('INSERT INTO outage_probe VALUES (1)'));
        expect(outageOf(duplicate)).toBeNull();
        expect(outageOf(await rejection(a.query('SELEC nothing')))).toBeNull();
        await a.query('BEGIN');
        await a.query('SELECT * FROM outage_probe WHERE id = 1 FOR UPDATE');
        await b.query('SET SESSION innodb_lock_wait_timeout = 1');
        const waited = await rejection(b.query('SELECT * FROM outage_probe WHERE id = 1 FOR UPDATE'));
        expect(waited).toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' });
        expect(outageOf(waited)).toBe('database');
      } finally {
        await a.end();
        await b.end();
      }
    });

    it('should call a closed pool (the cloud shutting down) a database outage', async () => {
      const pool = mysql.createPool({ ...connectionOptions(parseMysqlUrl(db.url)), connectionLimit: 1 });
      await pool.end();
      expect(outageOf(await rejection(pool.query('SELECT 1')))).toBe('database');
    });
  });

  describe('Prisma on the MariaDB adapter (the reads)', () => {
    it('should call a pool that cannot connect a database outage', async () => {
      const prisma = prismaOn(`mysql://root@127.0.0.1:${await freePort()}/${db.name}`, 500);
      try {
        const error = await rejection(prisma.$queryRaw`SELECT 1`);
        expect((error as Error).name).toMatch(/^PrismaClient/);
        expect(outageOf(error)).toBe('database');
      } finally {
        await prisma.$disconnect();
      }
    });

    it('should not call a unique violation or a bad query an outage', async () => {
      const prisma = prismaOn(db.url, 2_000);
      try {
        const tenant = { id: '01939a6e-0000-7000-8000-00000000a001', slug: 'outage-probe', name: 'Outage probe' };
        await prisma.tenant.create({ data: tenant });
        expect(outageOf(await rejection(prisma.tenant.create({ data: tenant })))).toBeNull();
        expect(outageOf(await rejection(prisma.$queryRawUnsafe('SELECT * FROM no_such_table')))).toBeNull();
      } finally {
        await prisma.$disconnect();
      }
    });
  });

  describe('ioredis (Redis)', () => {
    it('should call a command on a Redis that went away a Redis outage', async () => {
      const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
      redis.on('error', () => undefined);
      try {
        const error = await rejection(redis.get('anything'));
        expect((error as Error).name).toBe('MaxRetriesPerRequestError');
        expect(outageOf(error)).toBe('redis');
      } finally {
        redis.disconnect();
      }
      const { proxy, url } = await TcpProxy.inFrontOf(testRedisUrl());
      const stalled = new Redis(url, { commandTimeout: 300 });
      stalled.on('error', () => undefined);
      try {
        await stalled.ping();
        proxy.stall();
        const error = await rejection(stalled.ping());
        expect((error as Error).message).toBe('Command timed out');
        expect(outageOf(error)).toBe('redis');
      } finally {
        stalled.disconnect();
        await proxy.close();
      }
      expect(outageOf(new RedisUnavailableError('reconnecting'))).toBe('redis');
    });

    it('should not call a wrong command an outage', async () => {
      const prefix = createRedisPrefix('outage-errors');
      const redis = new Redis(testRedisUrl());
      try {
        await redis.set(`${prefix}:a-string`, 'x');
        const error = await rejection(redis.lpush(`${prefix}:a-string`, 'y'));
        expect((error as Error).message).toMatch(/^WRONGTYPE/);
        expect(outageOf(error)).toBeNull();
      } finally {
        redis.disconnect();
        await deleteRedisPrefix(prefix);
      }
    });
  });

  it('should answer an outage with 503 DATABASE_UNAVAILABLE or REDIS_UNAVAILABLE and when to come back', () => {
    expect(outageException(new RedisUnavailableError('end'))).toMatchObject({ status: 503, code: 'REDIS_UNAVAILABLE', details: { retryAfterSeconds: 5 } });
    expect(outageException(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', fatal: true }))).toMatchObject({
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
    });
    expect(outageException(new Error('a bug'))).toBeNull();
    expect(outageException(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
  });
});
