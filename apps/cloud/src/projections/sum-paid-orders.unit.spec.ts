import { sumPaidOrders } from './projections.service.js';

describe('sumPaidOrders', () => {
  it('should count only paid orders, per day of the store', () => {
    const sums = sumPaidOrders(
      [
        { cloudSeq: 1, type: 'order.created', at: new Date('2026-05-01T10:00:00Z'), totalCents: null },
        { cloudSeq: 2, type: 'order.paid', at: new Date('2026-05-01T10:05:00Z'), totalCents: 1200 },
        { cloudSeq: 3, type: 'order.paid', at: new Date('2026-05-01T23:30:00Z'), totalCents: 800 },
        { cloudSeq: 4, type: 'order.paid', at: new Date('2026-05-02T09:00:00Z'), totalCents: 500 },
      ],
      'Europe/Paris',
    );
    expect(Object.fromEntries(sums)).toEqual({ '2026-05-01': { orders: 1, salesCents: 1200 }, '2026-05-02': { orders: 2, salesCents: 1300 } });
  });
});
