import { Inject, Injectable } from '@nestjs/common';
import type { EventPayload, Station, StoredEvent } from '@app/contracts';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';
import type { TicketItemView, TicketStatus, TicketView } from './ticket-view.js';

interface TicketRow {
  ticket_id: string;
  station: Station;
  order_id: string;
  status: TicketStatus;
  items: string;
  version: number;
  created_at: string;
  updated_at: string;
  last_seq: number;
}

/** The KDS and BDS tickets read model, kept in the event store's transaction. */
@Injectable()
export class TicketsRepository {
  private readonly stmts;

  constructor(@Inject(SQLITE) db: SqliteDatabase) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO tickets (ticket_id, station, order_id, status, items, version, created_at, updated_at, last_seq) VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?)
         ON CONFLICT (ticket_id) DO NOTHING`,
      ),
      // A late ack never takes a done ticket back.
      ack: db.prepare(
        `UPDATE tickets SET status = CASE WHEN status = 'done' THEN 'done' ELSE 'ack' END, version = ?, updated_at = ?, last_seq = ? WHERE ticket_id = ?`,
      ),
      done: db.prepare(`UPDATE tickets SET status = 'done', version = ?, updated_at = ?, last_seq = ? WHERE ticket_id = ?`),
      list: db.prepare<[{ station: string | null; status: string | null }], TicketRow>(
        `SELECT * FROM tickets WHERE (@station IS NULL OR station = @station) AND (@status IS NULL OR status = @status) ORDER BY created_at ` +
          `DESC, ticket_id LIMIT 500`,
      ),
      open: db.prepare<[{ station: string | null }], TicketRow>(
        `SELECT * FROM tickets WHERE (@station IS NULL OR station = @station) AND status <> 'done' ORDER BY created_at, ticket_id LIMIT 500`,
      ),
    };
  }

  apply(event: StoredEvent): void {
    const { aggregateId: ticketId, version, at, seq } = event;
    switch (event.type) {
      case 'kds.ticket.created':
      case 'bds.ticket.created': {
        const payload = event.payload as EventPayload<'kds.ticket.created'>;
        this.stmts.insert.run(ticketId, payload.station, payload.orderId, JSON.stringify(payload.items), version, at, at, seq);
        return;
      }
      case 'kds.ticket.ack':
      case 'bds.ticket.ack':
        this.stmts.ack.run(version, at, seq, ticketId);
        return;
      case 'kds.ticket.done':
      case 'bds.ticket.done':
        this.stmts.done.run(version, at, seq, ticketId);
        return;
      default:
        return;
    }
  }

  /** Tickets of a station (all when null); `open` means not done yet, oldest first. */
  list(station: Station | null, status: TicketStatus | 'open' | null): TicketView[] {
    const rows = status === 'open' ? this.stmts.open.all({ station }) : this.stmts.list.all({ station, status });
    return rows.map((row) => ({
      ticketId: row.ticket_id,
      station: row.station,
      orderId: row.order_id,
      status: row.status,
      items: JSON.parse(row.items) as TicketItemView[],
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      lastSeq: row.last_seq,
    }));
  }
}
