import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTempDir, type TempDir } from '@app/testing';
import { EVENTS_FILE, openEdgeDatabase, type SqliteDatabase } from './sqlite-database.js';
import { WalCheckpointer } from './wal-checkpointer.js';

describe('WalCheckpointer', () => {
  let tmp: TempDir;
  let db: SqliteDatabase;
  const exits: Error[] = [];

  beforeEach(async () => {
    tmp = await createTempDir('wal-checkpointer');
    db = openEdgeDatabase(tmp.path);
    exits.length = 0;
  });

  afterEach(async () => {
    if (db.open) db.close();
    await tmp.remove();
  });

  const walFile = () => path.join(tmp.path, `${EVENTS_FILE}-wal`);

  /** `count` commits of one row each (each at least two WAL frames), with a pause every 100. */
  async function commitRows(count: number): Promise<void> {
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (let i = 0; i < count; i += 1) {
      insert.run(`k-${i}`, 'v'.repeat(200));
      if (i % 100 === 99) await sleep(30);
    }
  }

  it('should copy the WAL into the database while the writer commits, so the writer never checkpoints', async () => {
    db.pragma('wal_autocheckpoint = 0'); // prove it is the thread: the writer does no checkpoint at all
    const checkpointer = new WalCheckpointer(db.name, (error) => exits.push(error), 10);
    try {
      await commitRows(1_500);
      await sleep(100);
      const stats = await checkpointer.stats();
      expect(stats).toMatchObject({ errors: 0, lastError: null });
      expect(stats!.checkpoints).toBeGreaterThan(0);
      expect(stats!.framesCopied).toBeGreaterThanOrEqual(1_500);
      // Unchecked, 1,500 commits of two or more 4 KB frames would leave a WAL of 12 MB or more; the
      // WAL restarts from its beginning once it has been copied, so it stays a fraction of that.
      expect(statSync(walFile()).size).toBeLessThan(4 * 1024 * 1024);
      const [after] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      expect(after!.checkpointed).toBe(after!.log);
    } finally {
      await checkpointer.stop();
    }
    expect(exits).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM meta WHERE key LIKE ?').get('k-%')).toEqual({ n: 1_500 });
  });

  it('should close its connection on stop, so the writer closes last and removes the WAL', async () => {
    const checkpointer = new WalCheckpointer(db.name, (error) => exits.push(error), 10);
    await commitRows(10);
    await checkpointer.stop();
    await expect(checkpointer.stats()).resolves.toBeNull();
    await checkpointer.stop(); // a second stop is a no-op
    expect(existsSync(walFile())).toBe(true);
    db.close();
    expect(existsSync(walFile())).toBe(false);
    expect(exits).toEqual([]);
  });

  it('should report that it stopped when it cannot open the database', async () => {
    const stopped = new Promise<Error>((resolve) => new WalCheckpointer(path.join(tmp.path, 'missing.sqlite'), resolve, 10));
    const error = await stopped;
    expect(error.message).toMatch(/unable to open database file|does not exist/);
  });
});
