import { Inject, Injectable } from '@nestjs/common';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

@Injectable()
export class EdgeHealthRepository {
  private readonly probe;
  private readonly spaceProbe;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.probe = db.prepare("INSERT INTO meta (key, value) VALUES ('health.probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    const put = db.prepare("INSERT INTO meta (key, value) VALUES ('health.space', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    const remove = db.prepare("DELETE FROM meta WHERE key = 'health.space'");
    // 64 KB in, then out, in one durable transaction: it needs new pages (in the WAL, then in the
    // file) as a group of appends does, and leaves nothing behind.
    this.spaceProbe = db.transaction((filler: string) => {
      put.run(filler);
      remove.run();
    });
  }

  /** A real, durable write: fails when the disk is full, read-only or the file is gone. */
  writeProbe(): void {
    this.probe.run(new Date().toISOString());
  }

  /** A write of 64 KB of new pages, removed in the same transaction: fails while the disk is full. */
  writeSpaceProbe(): void {
    this.spaceProbe(`${Date.now()}`.padEnd(64 * 1024, '.'));
  }
}
