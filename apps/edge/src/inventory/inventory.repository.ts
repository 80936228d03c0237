import { Inject, Injectable } from '@nestjs/common';
import type { EventPayload, StoredEvent } from '@app/contracts';
import { pnValue, type PnCounter } from '@app/sync';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

export interface InventoryView {
  sku: string;
  /** The PN-counter's value: every increment minus every decrement, from all devices. */
  quantity: number;
  counter: PnCounter;
}

/**
 * Inventory as a PN-counter per SKU: each device only grows its own increment and decrement
 * totals, so concurrent adjustments from several tills all count, in any order.
 */
@Injectable()
export class InventoryRepository {
  private readonly stmts;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.stmts = {
      add: db.prepare(
        'INSERT INTO inventory_counters (sku, node_id, p, n) VALUES (?, ?, ?, ?) ON CONFLICT (sku, node_id) DO UPDATE SET p = p + ' +
          'excluded.p, n = n + excluded.n',
      ),
      all: db.prepare<[], { sku: string; node_id: string; p: number; n: number }>('SELECT sku, node_id, p, n FROM inventory_counters ORDER BY sku, node_id'),
    };
  }

  apply(event: StoredEvent): void {
    if (event.type !== 'inventory.adjusted') return;
    const { sku, delta } = event.payload as EventPayload<'inventory.adjusted'>;
    this.stmts.add.run(sku, event.actor.deviceId, delta > 0 ? delta : 0, delta < 0 ? -delta : 0);
  }

  list(): InventoryView[] {
    const bySku = new Map<string, { p: Record<string, number>; n: Record<string, number> }>();
    for (const row of this.stmts.all.all()) {
      let counter = bySku.get(row.sku);
      if (!counter) bySku.set(row.sku, (counter = { p: {}, n: {} }));
      if (row.p > 0) counter.p[row.node_id] = row.p;
      if (row.n > 0) counter.n[row.node_id] = row.n;
    }
    return [...bySku].map(([sku, counter]) => ({ sku, quantity: pnValue(counter), counter }));
  }
}
