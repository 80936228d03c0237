import { Injectable } from '@nestjs/common';
import type { OutboxCursorResponse, OutboxPage, StoredEvent } from '@app/contracts';
import { EdgeAuditService } from '../audit/audit.service.js';
import { SqliteTransaction } from '../database/sqlite-transaction.js';
import { EventStoreService } from '../event-store/event-store.service.js';
import { OutboxException } from './outbox.exception.js';
import { OutboxRepository } from './outbox.repository.js';

export interface OutboxState {
  cloudCursor: number;
  lastCloudSyncAt: string | null;
  /** Events of device origin committed at the hub and not yet durable in the cloud. */
  outboxDepth: number;
  latestSeq: number;
}

/**
 * The uplink's side of the hub: the agent reads the log in seq order from the cloud cursor, posts
 * it to the cloud's ingest, and moves the cursor once the cloud has made the batch durable.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly repository: OutboxRepository,
    private readonly events: EventStoreService,
    private readonly audit: EdgeAuditService,
    private readonly transaction: SqliteTransaction,
  ) {}

  /**
   * A page of device-origin events after `after` (default: the cloud cursor). Cloud-origin events
   * are stepped over, not sent back; `nextCursor` is the last seq the page covered, so the agent
   * can move the cursor past them even when a page holds none of its own.
   */
  read(after: number | undefined, limit: number): OutboxPage {
    const cloudCursor = this.repository.cloudCursor();
    const from = after ?? cloudCursor;
    const rows = this.repository.rowsAfter(from, limit);
    const events = rows.filter((r) => r.origin === 'device').map((r) => JSON.parse(r.body) as StoredEvent);
    const nextCursor = rows.length > 0 ? rows[rows.length - 1]!.seq : from;
    return { events, nextCursor, hasMore: nextCursor < this.events.latestSeq(), cloudCursor };
  }

  state(): OutboxState {
    const cloudCursor = this.repository.cloudCursor();
    return {
      cloudCursor,
      lastCloudSyncAt: this.repository.lastCloudSyncAt(),
      outboxDepth: this.repository.depthAfter(cloudCursor),
      latestSeq: this.events.latestSeq(),
    };
  }

  /** Forward only, never past the latest seq; the same cursor again is a successful sync that moved nothing. */
  moveCursor(cursor: number, actor: string): OutboxCursorResponse {
    const latestSeq = this.events.latestSeq();
    const syncedAt = new Date().toISOString();
    this.transaction.run(() => {
      const current = this.repository.cloudCursor();
      if (cursor < current) throw OutboxException.backwards(cursor, current);
      if (cursor > latestSeq) throw OutboxException.ahead(cursor, latestSeq);
      this.repository.saveCursor(cursor, syncedAt);
      if (cursor !== current) this.audit.record({ actor, action: 'outbox.cursor.moved', target: null, details: { from: current, to: cursor } });
    });
    const state = this.state();
    return { cloudCursor: state.cloudCursor, lastCloudSyncAt: state.lastCloudSyncAt ?? syncedAt, outboxDepth: state.outboxDepth };
  }
}
