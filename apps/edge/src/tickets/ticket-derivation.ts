import type { OrderItem, Station } from '@app/contracts';

/** What a station's display shows of an order line: no price, no routing. (A type, so it is JSON.) */
export type TicketItem = {
  sku: string;
  qty: number;
  name?: string;
  modifiers?: string[];
  note?: string;
};

/** One ticket the hub makes for an order: its station, the event it is, and its lines. */
export interface TicketDraft {
  station: Station;
  aggregateType: 'kds' | 'bds';
  type: 'kds.ticket.created' | 'bds.ticket.created';
  items: TicketItem[];
}

const TICKET_TYPES = {
  kitchen: { aggregateType: 'kds', type: 'kds.ticket.created' },
  bar: { aggregateType: 'bds', type: 'bds.ticket.created' },
} as const satisfies Record<Station, Pick<TicketDraft, 'aggregateType' | 'type'>>;

/**
 * The tickets an order's new lines make: one per station, in the order the stations first appear
 * in the lines, each with its lines in order. A line goes to the station the current menu routes its
 * sku to (`stations`); a sku the menu does not have keeps the line's own station; a line routed to
 * no station makes no ticket. Pure: the event writer stamps each draft with ids, time and clock.
 */
export function ticketsForOrderLines(items: readonly OrderItem[], stations?: Readonly<Record<string, Station | null>>): TicketDraft[] {
  const byStation = new Map<Station, TicketItem[]>();
  for (const item of items) {
    const routed = stations?.[item.sku];
    const station = routed === undefined ? (item.station ?? null) : routed;
    if (station) byStation.set(station, [...(byStation.get(station) ?? []), ticketItemOf(item)]);
  }
  return [...byStation].map(([station, lines]) => ({ station, ...TICKET_TYPES[station], items: lines }));
}

function ticketItemOf({ sku, qty, name, modifiers, note }: OrderItem): TicketItem {
  return { sku, qty, ...(name === undefined ? {} : { name }), ...(modifiers === undefined ? {} : { modifiers }), ...(note === undefined ? {} : { note }) };
}
