import { Injectable, Logger } from '@nestjs/common';
import type { RevokedTokenView } from '@app/contracts';
import { EdgeConfig } from '../config/edge-config.js';
import { SqliteTransaction } from '../database/sqlite-transaction.js';
import { RevokedTokensRepository, type RevokedTokenRow } from './revoked-tokens.repository.js';

export type RevocationListener = (subjects: ReadonlySet<string>) => void;

/**
 * The cluster-token subjects this hub refuses, kept in SQLite (they survive a restart) and in
 * memory (checked on every request and handshake). An entry is dropped once no token for its
 * subject can be accepted any more, revoked or not: after its last token's expiry plus the
 * offline grace (EDGE_TOKEN_GRACE_SECONDS) and the clock tolerance (EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS). So the list stays as small as
 * the revocations of the last week or so.
 */
@Injectable()
export class TokenRevocations {
  private readonly logger = new Logger(TokenRevocations.name);
  private readonly keepSeconds: number;
  private revoked = new Map<string, RevokedTokenRow>();
  private readonly listeners: RevocationListener[] = [];

  constructor(
    config: EdgeConfig,
    private readonly repository: RevokedTokensRepository,
    private readonly transaction: SqliteTransaction,
  ) {
    this.keepSeconds = config.tokenGraceSeconds + config.tokenClockToleranceSeconds;
    this.transaction.run(() => this.repository.prune(this.nowSeconds() - this.keepSeconds));
    this.reload();
  }

  isRevoked(sub: string): boolean {
    return this.revoked.has(sub);
  }

  /** Called with the subjects each change newly revoked, after it is on disk (the gateway drops their connections). */
  onRevoked(listener: RevocationListener): void {
    this.listeners.push(listener);
  }

  /**
   * Records the revocations (in one transaction with whatever `within` writes, e.g. an audit entry
   * for the subjects newly revoked) and returns those subjects. Entries whose tokens can no longer
   * be accepted anyway are not kept.
   */
  add(rows: readonly RevokedTokenRow[], within: (added: string[]) => void = () => undefined): string[] {
    const now = this.nowSeconds();
    const added = this.transaction.run(() => {
      this.repository.prune(now - this.keepSeconds);
      const live = rows.filter((row) => row.tokensExpireBy >= now - this.keepSeconds);
      const fresh = [...new Set(live.filter((row) => !this.revoked.has(row.sub)).map((row) => row.sub))];
      const at = new Date().toISOString();
      for (const row of live) this.repository.upsert(row, at);
      if (fresh.length > 0) within(fresh);
      return fresh;
    });
    this.reload();
    if (added.length > 0) {
      const subjects = new Set(added);
      for (const listener of this.listeners) {
        try {
          listener(subjects);
        } catch (error) {
          this.logger.error({ err: error }, 'a revocation listener failed');
        }
      }
    }
    return added;
  }

  list(): RevokedTokenView[] {
    return [...this.revoked.values()].map((row) => ({
      sub: row.sub,
      revokedAt: new Date(row.revokedAt * 1000).toISOString(),
      forgetAt: new Date((row.tokensExpireBy + this.keepSeconds) * 1000).toISOString(),
      source: row.source,
    }));
  }

  private reload(): void {
    this.revoked = new Map(this.repository.all().map((row) => [row.sub, row]));
  }

  private nowSeconds(): number {
    return Math.floor(Date.now() / 1000);
  }
}
