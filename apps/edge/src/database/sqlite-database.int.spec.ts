import path from 'node:path';
import Database from 'better-sqlite3';
import { createTempDir, type TempDir } from '@app/testing';
import { EDGE_MIGRATIONS } from './edge-migrations.js';
import { EVENTS_FILE, openEdgeDatabase } from './sqlite-database.js';

describe('openEdgeDatabase', () => {
  let tmp: TempDir;

  beforeEach(async () => {
    tmp = await createTempDir('sqlite');
  });

  afterEach(async () => {
    await tmp.remove();
  });

  it('should open a WAL database with synchronous=FULL and the whole schema', () => {
    const db = openEdgeDatabase(path.join(tmp.path, 'nested', 'dir'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('user_version', { simple: true })).toBe(EDGE_MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('should keep data and not re-run migrations when reopened', () => {
    const first = openEdgeDatabase(tmp.path);
    first.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    first.close();
    const second = openEdgeDatabase(tmp.path);
    try {
      expect(second.prepare("SELECT value FROM meta WHERE key = 'k'").get()).toEqual({ value: 'v' });
    } finally {
      second.close();
    }
  });

  it('should refuse a database written by a newer hub', () => {
    const raw = new Database(path.join(tmp.path, EVENTS_FILE));
    raw.pragma(`user_version = ${EDGE_MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openEdgeDatabase(tmp.path)).toThrow(/newer than this software/);
  });
});
