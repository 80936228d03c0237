import { Inject, Injectable } from '@nestjs/common';
import { SQLITE, type SqliteDatabase } from './sqlite-database.js';

/**
 * Runs an explicit transaction on the hub's one SQLite connection: every repository statement
 * `work` runs commits together or not at all. better-sqlite3 is synchronous, so nothing else on
 * the connection interleaves with `work`; `work` must not await.
 */
@Injectable()
export class SqliteTransaction {
  constructor(@Inject(SQLITE) private readonly db: SqliteDatabase) {}

  run<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }
}
