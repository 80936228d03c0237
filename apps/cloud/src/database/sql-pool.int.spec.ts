import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { outageOf } from '../outages/outage-errors.js';
import { createMysqlPool } from './mysql-pool.js';
import { PoolAcquireTimeoutError, type SqlPool } from './sql-pool.js';

/** A date mysql2 cannot serialise (before year 0 in UTC): it throws a RangeError writing the packet. */
const BEFORE_YEAR_ZERO = new Date('0000-01-01T00:00:00+14:00');
const INSERT = 'INSERT INTO PoolProbe (id, at) VALUES (?, ?)';

describe('SqlPool', () => {
  let db: TestDatabase;
  let pool: SqlPool;

  beforeAll(async () => {
    db = await createTestDatabase('sql-pool', { migrate: false });
    pool = createMysqlPool({ databaseUrl: db.url, size: 3, acquireTimeoutMs: 300, queryTimeoutMs: 1_000 });
    await pool.query('CREATE TABLE PoolProbe (id CHAR(36) NOT NULL PRIMARY KEY, at DATETIME(3) NOT NULL, small INT NULL)');
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  describe('execute', () => {
    it('should give every connection back when the driver throws on a cached prepared statement, 100 times over', async () => {
      // Cache the statement on every connection first: that is when mysql2's own pool lost them.
      await Promise.all([1, 2, 3].map(() => pool.execute<ResultSetHeader>(INSERT, [crypto.randomUUID(), new Date()])));
      const before = pool.stats();
      for (let i = 0; i < 100; i += 1) {
        await expect(pool.execute(INSERT, [crypto.randomUUID(), BEFORE_YEAR_ZERO])).rejects.toMatchObject({ name: 'RangeError' });
      }
      expect(pool.stats()).toEqual({ all: expect.any(Number), free: pool.stats().all, queued: 0 });
      expect(pool.stats().all).toBeLessThanOrEqual(before.all);
      const [rows] = await pool.execute<RowDataPacket[]>('SELECT COUNT(*) AS n FROM PoolProbe');
      expect(Number(rows[0]!.n)).toBe(3);
    });
  });

  describe('query', () => {
    it('should refuse a value outside its column (strict session) instead of clamping it', async () => {
      await expect(pool.query('INSERT INTO PoolProbe (id, at, small) VALUES (?, ?, ?)', [crypto.randomUUID(), new Date(), 2 ** 40])).rejects.toMatchObject({
        code: 'ER_WARN_DATA_OUT_OF_RANGE',
      });
      expect(pool.stats().queued).toBe(0);
    });

    it('should end a statement past its bound as a database outage and drop its connection', async () => {
      await expect(pool.query('SELECT SLEEP(3)')).rejects.toMatchObject({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' });
      await expect(pool.query('SELECT SLEEP(3)').catch((e: unknown) => outageOf(e))).resolves.toBe('database');
      const [rows] = await pool.query<RowDataPacket[]>('SELECT 1 AS one');
      expect(rows[0]!.one).toBe(1);
    });
  });

  describe('getConnection', () => {
    it('should fail within its bound, as a database outage, when every connection is held, and serve again once one is back', async () => {
      const held = await Promise.all([1, 2, 3].map(() => pool.getConnection()));
      try {
        const started = Date.now();
        const error = await pool.query('SELECT 1').catch((e: unknown) => e);
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(error).toBeInstanceOf(PoolAcquireTimeoutError);
        expect(outageOf(error)).toBe('database');
      } finally {
        for (const connection of held) connection.release();
      }
      const [rows] = await pool.query<RowDataPacket[]>('SELECT 1 AS one');
      expect(rows[0]!.one).toBe(1);
      // The waiter that gave up got its connection later and gave it straight back.
      expect(pool.stats()).toMatchObject({ queued: 0, free: pool.stats().all });
    });
  });
});
