import { projectSales, type ProjectedEvent } from './sales-projection.js';

let seq = 0;
const event = (type: string, at: string, totalCents?: unknown, extra: Partial<ProjectedEvent> = {}): ProjectedEvent => {
  seq += 1;
  return {
    cloudSeq: seq,
    eventId: `0193a000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    type,
    at: new Date(at),
    ...(totalCents === undefined ? {} : { totalCents }),
    ...extra,
  };
};

describe('projectSales', () => {
  describe('given good events', () => {
    it('should count only paid orders, per day of the store', () => {
      const { sums, skipped } = projectSales(
        [
          event('order.created', '2026-05-01T10:00:00Z'),
          event('order.paid', '2026-05-01T10:05:00Z', 1200),
          event('order.paid', '2026-05-01T23:30:00Z', 800),
          event('order.paid', '2026-05-02T09:00:00Z', 500),
        ],
        'Europe/Paris',
      );
      expect(Object.fromEntries(sums)).toEqual({ '2026-05-01': { orders: 1, salesCents: 1200 }, '2026-05-02': { orders: 2, salesCents: 1300 } });
      expect(skipped).toEqual([]);
    });
  });

  describe('given a paid order whose time is no instant', () => {
    it('should skip it as invalid_time, saying what was stored, and count the others', () => {
      const bad = event('order.paid', 'invalid', 4000, { storedAt: '0000-00-00 00:00:00.000', eventAt: '9999-12-31T23:59:59-14:00' });
      const { sums, skipped } = projectSales([bad, event('order.paid', '2026-05-01T12:00:00Z', 700)], 'UTC');
      expect(Object.fromEntries(sums)).toEqual({ '2026-05-01': { orders: 1, salesCents: 700 } });
      expect(skipped).toEqual([
        {
          cloudSeq: bad.cloudSeq,
          eventId: bad.eventId,
          type: 'order.paid',
          reason: 'invalid_time',
          detail: 'at 9999-12-31T23:59:59-14:00 was stored as 0000-00-00 00:00:00.000, which is no instant',
        },
      ]);
    });

    it('should ignore a bad time on an event it does not count', () => {
      expect(projectSales([event('order.created', 'invalid')], 'UTC').skipped).toEqual([]);
    });
  });

  describe('given a paid order whose amount is no amount', () => {
    it.each([
      ['a string', '12.50', '"12.50"'],
      ['a fraction', 12.5, '12.5'],
      ['negative', -5, '-5'],
      ['beyond a safe integer', 1e20, '100000000000000000000'],
      ['null', null, 'null'],
      ['missing', undefined, 'missing'],
    ])('should skip it as invalid_amount when it is %s', (_label, totalCents, shown) => {
      const { sums, skipped } = projectSales([event('order.paid', '2026-05-01T12:00:00Z', totalCents)], 'UTC');
      expect(sums.size).toBe(0);
      expect(skipped).toEqual([expect.objectContaining({ reason: 'invalid_amount', detail: `payload.totalCents is ${shown}, not a non-negative integer` })]);
    });
  });
});
