import { Inject, Injectable } from '@nestjs/common';
import type { EventPayload, OrderItem, StoredEvent } from '@app/contracts';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';
import { addedItems } from './order-items.js';
import type { OrderStatus, OrderView } from './order-view.js';

interface OrderRow {
  order_id: string;
  status: OrderStatus;
  version: number;
  items: string;
  table_id: string | null;
  note: string | null;
  total_cents: number | null;
  created_at: string;
  updated_at: string;
  last_seq: number;
  holder: string | null;
  expires_at: number | null;
}

const SELECT = `SELECT o.*, l.holder, l.expires_at FROM orders o LEFT JOIN order_leases l ON l.order_id = o.order_id`;

/** The orders read model, kept in the event store's transaction. */
@Injectable()
export class OrdersRepository {
  private readonly stmts;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.stmts = {
      items: db.prepare<[string], { items: string }>('SELECT items FROM orders WHERE order_id = ?'),
      upsert: db.prepare(
        `INSERT INTO orders (order_id, status, version, items, table_id, note, total_cents, created_at, updated_at, last_seq)
         VALUES (@orderId, @status, @version, @items, @tableId, @note, NULL, @at, @at, @seq)
         ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, version = excluded.version, items = excluded.items,
           note = COALESCE(excluded.note, orders.note), updated_at = excluded.updated_at, last_seq = excluded.last_seq`,
      ),
      setStatus: db.prepare(
        'UPDATE orders SET status = ?, version = ?, total_cents = COALESCE(?, total_cents), updated_at = ?, last_seq = ? WHERE order_id = ?',
      ),
      touch: db.prepare('UPDATE orders SET version = ?, updated_at = ?, last_seq = ? WHERE order_id = ?'),
      byStatus: db.prepare<[string], OrderRow>(`${SELECT} WHERE o.status = ? ORDER BY o.updated_at DESC, o.order_id LIMIT 1000`),
      open: db.prepare<[], OrderRow>(`${SELECT} WHERE o.status IN ('active', 'parked') ORDER BY o.updated_at DESC, o.order_id LIMIT 1000`),
      one: db.prepare<[string], OrderRow>(`${SELECT} WHERE o.order_id = ?`),
    };
  }

  /** Applies an order event; returns the items it adds to the order (to route to the stations). */
  apply(event: StoredEvent): OrderItem[] {
    const { aggregateId: orderId, version, at, seq } = event;
    switch (event.type) {
      case 'order.created':
      case 'order.updated': {
        const payload = event.payload as EventPayload<'order.created'>;
        const before = this.stmts.items.get(orderId);
        const previous = before ? (JSON.parse(before.items) as OrderItem[]) : [];
        this.stmts.upsert.run({
          orderId,
          status: 'active',
          version,
          items: JSON.stringify(payload.items),
          tableId: payload.tableId ?? null,
          note: payload.note ?? null,
          at,
          seq,
        });
        return addedItems(previous, payload.items);
      }
      case 'order.parked':
      case 'order.reparked':
        this.stmts.setStatus.run('parked', version, null, at, seq, orderId);
        return [];
      case 'order.paid':
        this.stmts.setStatus.run('paid', version, (event.payload as EventPayload<'order.paid'>).totalCents, at, seq, orderId);
        return [];
      default:
        this.stmts.touch.run(version, at, seq, orderId);
        return [];
    }
  }

  list(status: OrderStatus | 'open', now: number): OrderView[] {
    const rows = status === 'open' ? this.stmts.open.all() : this.stmts.byStatus.all(status);
    return rows.map((row) => toView(row, now));
  }

  find(orderId: string, now: number): OrderView | null {
    const row = this.stmts.one.get(orderId);
    return row ? toView(row, now) : null;
  }
}

function toView(row: OrderRow, now: number): OrderView {
  const leased = row.holder !== null && row.expires_at !== null && row.expires_at > now;
  return {
    orderId: row.order_id,
    status: row.status,
    version: row.version,
    items: JSON.parse(row.items) as OrderItem[],
    tableId: row.table_id,
    note: row.note,
    totalCents: row.total_cents,
    lease: leased ? { holder: row.holder!, expiresAt: new Date(row.expires_at!).toISOString() } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeq: row.last_seq,
  };
}
