import type { OrderItem } from '@app/contracts';
import { ticketsForOrderLines } from './ticket-derivation.js';

const burger: OrderItem = {
  lineId: 'l-1',
  sku: 'MAIN-BURGER',
  qty: 2,
  name: 'Cheeseburger',
  priceCents: 1250,
  station: 'kitchen',
  modifiers: ['no onions'],
  note: 'well done',
};
const cola: OrderItem = { lineId: 'l-2', sku: 'DRINK-COLA', qty: 1, name: 'Cola', priceCents: 300, station: 'bar' };
const fries: OrderItem = { lineId: 'l-3', sku: 'SIDE-FRIES', qty: 1, station: 'kitchen' };

describe('ticketsForOrderLines', () => {
  it('given lines for two stations, when derived, then one ticket per station in first-seen order, lines in order, without prices or routing', () => {
    expect(ticketsForOrderLines([burger, cola, fries])).toEqual([
      {
        station: 'kitchen',
        aggregateType: 'kds',
        type: 'kds.ticket.created',
        items: [
          { sku: 'MAIN-BURGER', qty: 2, name: 'Cheeseburger', modifiers: ['no onions'], note: 'well done' },
          { sku: 'SIDE-FRIES', qty: 1 },
        ],
      },
      { station: 'bar', aggregateType: 'bds', type: 'bds.ticket.created', items: [{ sku: 'DRINK-COLA', qty: 1, name: 'Cola' }] },
    ]);
  });

  it("given the current menu's routing, when derived, then it wins over the line's own station, and a sku off the menu keeps the line's", () => {
    const tickets = ticketsForOrderLines([burger, cola, fries], { 'MAIN-BURGER': 'bar', 'DRINK-COLA': 'bar' });
    expect(tickets.map((t) => [t.station, t.items.map((i) => i.sku)])).toEqual([
      ['bar', ['MAIN-BURGER', 'DRINK-COLA']],
      ['kitchen', ['SIDE-FRIES']],
    ]);
  });

  it('given lines routed to no station, when derived, then they make no ticket', () => {
    expect(
      ticketsForOrderLines([
        { sku: 'GIFT-CARD', qty: 1 },
        { ...cola, station: null },
      ]),
    ).toEqual([]);
    expect(ticketsForOrderLines([burger], { 'MAIN-BURGER': null })).toEqual([]);
    expect(ticketsForOrderLines([])).toEqual([]);
  });
});
