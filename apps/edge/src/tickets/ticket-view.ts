import type { Station } from '@app/contracts';

export type TicketStatus = 'new' | 'ack' | 'done';

export interface TicketItemView {
  sku: string;
  qty: number;
  name?: string;
  modifiers?: string[];
  note?: string;
}

/** A KDS (kitchen) or BDS (bar) ticket as GET /api/v1/tickets shows it. */
export interface TicketView {
  ticketId: string;
  station: Station;
  orderId: string;
  status: TicketStatus;
  items: TicketItemView[];
  version: number;
  createdAt: string;
  updatedAt: string;
  lastSeq: number;
}
