import { Inject, Injectable } from '@nestjs/common';
import type { SyncDomain } from '@app/contracts';
import { emptyDomainState, type DomainStates } from '@app/sync';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

export interface StoredDomainState<D extends SyncDomain = SyncDomain> {
  domain: D;
  /** The cloud revision last applied to this domain; 0 before any. */
  revision: number;
  state: DomainStates[D];
}

interface DomainStateRow {
  revision: number;
  state: string;
}

/** The four synced domains, one row each, written only when a command is applied. */
@Injectable()
export class StateRepository {
  private readonly selectOne;
  private readonly selectRevisions;
  private readonly upsert;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.selectOne = db.prepare<[string], DomainStateRow>('SELECT revision, state FROM domain_state WHERE domain = ?');
    this.selectRevisions = db.prepare<[], { domain: string; revision: number }>('SELECT domain, revision FROM domain_state');
    this.upsert = db.prepare<[string, number, string, string]>(
      `INSERT INTO domain_state (domain, revision, state, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (domain) DO UPDATE SET revision = excluded.revision, state = excluded.state, updated_at = excluded.updated_at`,
    );
  }

  find<D extends SyncDomain>(domain: D): StoredDomainState<D> {
    const row = this.selectOne.get(domain);
    if (!row) return { domain, revision: 0, state: emptyDomainState(domain) };
    return { domain, revision: row.revision, state: JSON.parse(row.state) as DomainStates[D] };
  }

  revisions(): Map<string, number> {
    return new Map(this.selectRevisions.all().map((r) => [r.domain, r.revision]));
  }

  /** Joins the caller's transaction when there is one (better-sqlite3 runs on one connection). */
  save(domain: SyncDomain, revision: number, state: DomainStates[SyncDomain]): void {
    this.upsert.run(domain, revision, JSON.stringify(state), new Date().toISOString());
  }
}
