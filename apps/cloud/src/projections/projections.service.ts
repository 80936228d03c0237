import { Injectable, Logger } from '@nestjs/common';
import type { ProjectionDeadLettersPage } from '@app/contracts';
import { TransactionRunner } from '../database/transaction-runner.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import { StoresService } from '../stores/stores.service.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import { ProjectionsRepository } from './projections.repository.js';
import { ProjectionsScheduler } from './projections.scheduler.js';
import { projectSales, type SkippedEvent } from './sales-projection.js';

const EVENTS_PER_TRANSACTION = 5_000;
const STORES_PER_PAGE = 500;
/** Bounds one catch-up walk: 2,000 pages of 500 stores. */
const MAX_STORE_PAGES = 2_000;
/** A run stops after this many transactions and queues itself again, so one busy store cannot hold a worker. */
const TRANSACTIONS_PER_RUN = 20;
/** Skipped events named in one log line; the rest are counted. */
const LOGGED_SKIPS = 5;
export const SALES_PROJECTION = 'sales';

/**
 * Brings a store's sales projection up to its latest ingested event. Each transaction locks the
 * store's cursor, reads the events after it, adds their sums and moves the cursor, so a run that
 * is repeated or interrupted never counts an event twice or skips one. An event it cannot count
 * is recorded as a dead letter in that same transaction, logged and counted
 * (`pos_cloud_projection_skipped_total`), and the cursor moves past it: one bad row never stops
 * the projection of the ones after it.
 */
@Injectable()
export class ProjectionsService {
  private readonly logger = new Logger(ProjectionsService.name);

  constructor(
    private readonly projections: ProjectionsRepository,
    private readonly scheduler: ProjectionsScheduler,
    private readonly stores: StoresService,
    private readonly metrics: CloudMetrics,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Queues a run for every store whose projection is behind its events: the runs queued by ingest
   * live only in Redis, and one that Redis lost would otherwise wait for the store's next batch.
   */
  async catchUpAll(): Promise<{ stores: number }> {
    let queued = 0;
    let after = '';
    for (let page = 0; page < MAX_STORE_PAGES; page += 1) {
      const rows = await this.projections.storesBehindPage(after, STORES_PER_PAGE);
      if (rows.length === 0) break;
      const behind = rows.filter((r) => r.behind).map((r) => r.storeId);
      await this.scheduler.scheduleMany(behind);
      queued += behind.length;
      after = rows.at(-1)!.storeId;
    }
    return { stores: queued };
  }

  async projectStore(storeId: string): Promise<{ events: number }> {
    const store = await this.projections.storeForProjection(storeId);
    if (!store) return { events: 0 };
    const scope = tenantScope(store.tenantId);
    let total = 0;
    for (let round = 0; round < TRANSACTIONS_PER_RUN; round += 1) {
      const read = await this.transactions.run(async (tx) => {
        const cursor = await this.projections.lockCursor(tx, scope, storeId);
        const events = await this.projections.eventsAfter(tx, scope, storeId, cursor, EVENTS_PER_TRANSACTION);
        if (events.length === 0) return 0;
        const { sums, skipped } = projectSales(events, store.timezone);
        await this.projections.addToDays(tx, scope, storeId, sums);
        await this.projections.insertDeadLetters(tx, scope, storeId, SALES_PROJECTION, skipped, new Date());
        await this.projections.setCursor(tx, scope, storeId, events.at(-1)!.cloudSeq);
        if (skipped.length > 0) tx.afterCommit(() => this.reportSkipped(storeId, skipped));
        return events.length;
      });
      total += read;
      if (read < EVENTS_PER_TRANSACTION) return { events: total };
    }
    this.logger.log(`store ${storeId}: projected ${total} events, more to come`);
    await this.scheduler.schedule(storeId);
    return { events: total };
  }

  /** The events the store's projections could not count, for support. */
  async deadLetters(scope: TenantScope, storeId: string, query: { after: number; limit: number }): Promise<ProjectionDeadLettersPage> {
    const store = await this.stores.require(scope, storeId);
    const { total, rows } = await this.projections.deadLetters(scope, store.id, query.after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    return { storeId: store.id, total, deadLetters: page, nextCursor: rows.length > query.limit ? page.at(-1)!.cloudSeq : null };
  }

  private reportSkipped(storeId: string, skipped: readonly SkippedEvent[]): void {
    for (const event of skipped) this.metrics.projectionSkipped.inc({ projection: SALES_PROJECTION, reason: event.reason });
    const named = skipped.slice(0, LOGGED_SKIPS).map((e) => `cloudSeq ${e.cloudSeq} (event ${e.eventId}) ${e.reason}: ${e.detail}`);
    const more = skipped.length > LOGGED_SKIPS ? `; and ${skipped.length - LOGGED_SKIPS} more` : '';
    this.logger.warn(
      `store ${storeId}: the sales projection skipped ${skipped.length} event(s) it cannot count, listed as dead letters: ${named.join('; ')}${more}`,
    );
  }
}
