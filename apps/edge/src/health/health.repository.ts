import { Inject, Injectable } from '@nestjs/common';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

@Injectable()
export class EdgeHealthRepository {
  private readonly probe;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.probe = db.prepare("INSERT INTO meta (key, value) VALUES ('health.probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  }

  /** A real, durable write: fails when the disk is full, read-only or the file is gone. */
  writeProbe(): void {
    this.probe.run(new Date().toISOString());
  }
}
