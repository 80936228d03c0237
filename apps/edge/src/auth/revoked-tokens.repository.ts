import { Inject, Injectable } from '@nestjs/common';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

export interface RevokedTokenRow {
  sub: string;
  revokedAt: number;
  tokensExpireBy: number;
  source: 'cloud' | 'self';
}

interface Row {
  sub: string;
  revoked_at: number;
  tokens_expire_by: number;
  source: 'cloud' | 'self';
}

@Injectable()
export class RevokedTokensRepository {
  private readonly stmts;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.stmts = {
      all: db.prepare<[], Row>('SELECT sub, revoked_at, tokens_expire_by, source FROM revoked_tokens ORDER BY revoked_at, sub'),
      // A subject revoked twice keeps its earliest revocation and the later expiry bound; the
      // cloud's word replaces an agent's own report.
      upsert: db.prepare<[string, number, number, string, string]>(
        `INSERT INTO revoked_tokens (sub, revoked_at, tokens_expire_by, source, recorded_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sub) DO UPDATE SET revoked_at = MIN(revoked_at, excluded.revoked_at), tokens_expire_by = MAX(tokens_expire_by, excluded.tokens_expire_by),
           source = CASE WHEN excluded.source = 'cloud' THEN 'cloud' ELSE source END`,
      ),
      prune: db.prepare<[number]>('DELETE FROM revoked_tokens WHERE tokens_expire_by < ?'),
    };
  }

  all(): RevokedTokenRow[] {
    return this.stmts.all.all().map((r) => ({ sub: r.sub, revokedAt: r.revoked_at, tokensExpireBy: r.tokens_expire_by, source: r.source }));
  }

  /** Inside the caller's transaction. */
  upsert(row: RevokedTokenRow, recordedAt: string): void {
    this.stmts.upsert.run(row.sub, row.revokedAt, row.tokensExpireBy, row.source, recordedAt);
  }

  /** Drops the rows whose tokens all expired before `expiredBefore` (Unix seconds); returns how many. */
  prune(expiredBefore: number): number {
    return this.stmts.prune.run(expiredBefore).changes;
  }
}
