import { Injectable, Logger } from '@nestjs/common';
import { dayInTimeZone } from '../common/time-zone.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { ProjectionsRepository, type DaySums, type ProjectedEvent } from './projections.repository.js';
import { ProjectionsScheduler } from './projections.scheduler.js';

const EVENTS_PER_TRANSACTION = 5_000;
const STORES_PER_PAGE = 500;
/** Bounds one catch-up walk: 2,000 pages of 500 stores. */
const MAX_STORE_PAGES = 2_000;
/** A run stops after this many transactions and queues itself again, so one busy store cannot hold a worker. */
const TRANSACTIONS_PER_RUN = 20;

/** Sums a page of events into orders paid and sales per day of the store's time zone. */
export function sumPaidOrders(events: readonly ProjectedEvent[], timeZone: string): Map<string, DaySums> {
  const sums = new Map<string, DaySums>();
  for (const event of events) {
    if (event.type !== 'order.paid' || event.totalCents === null || !Number.isFinite(event.totalCents)) continue;
    const day = dayInTimeZone(event.at, timeZone);
    const current = sums.get(day) ?? { orders: 0, salesCents: 0 };
    sums.set(day, { orders: current.orders + 1, salesCents: current.salesCents + event.totalCents });
  }
  return sums;
}

/**
 * Brings a store's sales projection up to its latest ingested event. Each transaction locks the
 * store's cursor, reads the events after it, adds their sums and moves the cursor, so a run that
 * is repeated or interrupted never counts an event twice or skips one.
 */
@Injectable()
export class ProjectionsService {
  private readonly logger = new Logger(ProjectionsService.name);

  constructor(
    private readonly projections: ProjectionsRepository,
    private readonly scheduler: ProjectionsScheduler,
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
        await this.projections.addToDays(tx, scope, storeId, sumPaidOrders(events, store.timezone));
        await this.projections.setCursor(tx, scope, storeId, events.at(-1)!.cloudSeq);
        return events.length;
      });
      total += read;
      if (read < EVENTS_PER_TRANSACTION) return { events: total };
    }
    this.logger.log(`store ${storeId}: projected ${total} events, more to come`);
    await this.scheduler.schedule(storeId);
    return { events: total };
  }
}
