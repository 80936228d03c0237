import { WriteHealth, diskFaultOf, reasonOf } from './write-health.js';

/** An error as better-sqlite3 throws it: a message and SQLite's extended code. */
function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe(WriteHealth.name, () => {
  describe('diskFaultOf', () => {
    it('should call SQLITE_FULL a full disk, and I/O or read-only errors a disk error', () => {
      expect(diskFaultOf(sqliteError('SQLITE_FULL', 'database or disk is full'))).toBe('DISK_FULL');
      expect(diskFaultOf(sqliteError('SQLITE_IOERR_WRITE', 'disk I/O error'))).toBe('DISK_ERROR');
      expect(diskFaultOf(sqliteError('SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database'))).toBe('DISK_ERROR');
    });

    it('should not blame the disk for a bug or a constraint', () => {
      expect(diskFaultOf(sqliteError('SQLITE_CONSTRAINT_PRIMARYKEY', 'UNIQUE constraint failed: events.seq'))).toBeNull();
      expect(diskFaultOf(new TypeError('cannot read properties of undefined'))).toBeNull();
      expect(diskFaultOf(null)).toBeNull();
    });
  });

  describe('reasonOf', () => {
    it('should give the code and the message', () => {
      expect(reasonOf(sqliteError('SQLITE_FULL', 'database or disk is full'))).toBe('SQLITE_FULL: database or disk is full');
      expect(reasonOf(new Error('boom'))).toBe('boom');
    });
  });

  describe('diskFailed', () => {
    it('should report a fault once, keep when it started, and clear it on the next write', () => {
      const health = new WriteHealth();
      expect(health.diskFailed('DISK_FULL', 'SQLITE_FULL: database or disk is full', new Date('2026-12-02T02:00:00Z'))).toBe(true);
      expect(health.diskFailed('DISK_FULL', 'SQLITE_FULL: database or disk is full', new Date('2026-12-02T02:00:05Z'))).toBe(false);
      expect(health.fault()).toEqual({ code: 'DISK_FULL', message: 'SQLITE_FULL: database or disk is full', since: '2026-12-02T02:00:00.000Z' });
      expect(health.diskWritten()).toMatchObject({ code: 'DISK_FULL' });
      expect(health.fault()).toBeNull();
      expect(health.diskWritten()).toBeNull();
    });

    it('should put a disk fault before an exhausted clock, and keep the clock once the disk heals', () => {
      const health = new WriteHealth();
      health.clockExhausted('the clock is past its bound');
      health.diskFailed('DISK_FULL', 'SQLITE_FULL: database or disk is full');
      expect(health.fault()?.code).toBe('DISK_FULL');
      health.diskWritten();
      expect(health.fault()?.code).toBe('CLOCK_EXHAUSTED');
    });
  });
});
