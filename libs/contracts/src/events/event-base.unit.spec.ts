import { makeEvent } from '@app/testing';
import type { JsonValue } from '../common/primitives.js';
import { compareEventOrder, validateEvent } from './event-base.js';

function issuesOf(input: unknown): string[] {
  const result = validateEvent(input);
  return result.ok ? [] : result.issues.map((i) => i.path);
}

describe('validateEvent', () => {
  it('should accept a well-formed event', () => {
    const event = makeEvent();
    expect(validateEvent(event)).toEqual({ ok: true, value: event });
  });

  it.each([
    ['a missing eventId', { eventId: undefined }, 'eventId'],
    ['an eventId that is not a UUID', { eventId: 'abc' }, 'eventId'],
    ['a tenant id with spaces', { tenantId: 't demo' }, 'tenantId'],
    ['an unknown aggregate type', { aggregateType: 'table' }, 'aggregateType'],
    ['version 0', { version: 0 }, 'version'],
    ['a fractional version', { version: 1.5 }, 'version'],
    ['a version given as text', { version: '2' }, 'version'],
    ['an unknown event type', { type: 'order.exploded' }, 'type'],
    ['a date that is not ISO 8601', { at: 'yesterday' }, 'at'],
    ['a missing actor', { actor: undefined }, 'actor'],
    ['a negative lamport clock', { clock: { lamport: -1, deviceId: 'till-1' } }, 'clock.lamport'],
    ['a payload that is an array', { payload: [] }, 'payload'],
    ['a date before year 0 in UTC', { at: '0000-01-01T00:00:00+14:00' }, 'at'],
    ['a date past year 9999 in UTC', { at: '9999-12-31T23:59:59-14:00' }, 'at'],
    ['a date just before 2000 in UTC', { at: '2000-01-01T08:59:59.999+09:00' }, 'at'],
    ['a date at 2100 in UTC', { at: '2100-01-01T00:00:00Z' }, 'at'],
    ['a version past the INT column (2^31)', { version: 2 ** 31 }, 'version'],
    ['a version of 2^40', { version: 2 ** 40 }, 'version'],
    ['a lamport clock past the safe integers', { clock: { lamport: 2 ** 53, deviceId: 'till-1' } }, 'clock.lamport'],
    ['a lone surrogate in aggregateId', { aggregateId: 'order-\ud800' }, 'aggregateId'],
    ['a lone surrogate in actor.userId', { actor: { deviceId: 'till-1', userId: 'user-\udfff' } }, 'actor.userId'],
    ['a lone surrogate in a payload value', { payload: { items: [], note: 'table \ud83d by the window' } }, 'payload.note'],
    ['a lone surrogate in a payload key', { payload: { items: [], ['\udc00key']: 1 } }, 'payload.\udc00key'],
  ])('should refuse %s, naming the field', (_label, patch, path) => {
    expect(issuesOf({ ...makeEvent(), ...patch })).toContain(path);
  });

  it('should refuse an aggregate type that does not match the event type', () => {
    expect(issuesOf(makeEvent({ type: 'inventory.adjusted', aggregateType: 'order', payload: { sku: 'B1', delta: 1 } }))).toEqual(['aggregateType']);
  });

  it('should check the payload against its type, with the full path', () => {
    expect(issuesOf(makeEvent({ payload: { items: [{ sku: 'B1', qty: 0 }] } }))).toEqual(['payload.items[0].qty']);
    expect(issuesOf(makeEvent({ type: 'inventory.adjusted', aggregateId: 'B1', payload: { sku: 'B1', delta: 0 } }))).toEqual(['payload.delta']);
    expect(issuesOf(makeEvent({ type: 'order.paid', payload: { method: 'card' } }))).toEqual(['payload.totalCents']);
  });

  it('should keep extra payload fields a device sends', () => {
    const event = makeEvent({ payload: { items: [], covers: 4 } });
    const result = validateEvent(event);
    expect(result.ok && result.value.payload).toEqual({ items: [], covers: 4 });
  });

  it('should take the bounds themselves: 2000-01-01 and just before 2100 in UTC, version 2^31-1, a pair of surrogates', () => {
    expect(issuesOf(makeEvent({ at: '2000-01-01T09:00:00+09:00', version: 2 ** 31 - 1 }))).toEqual([]);
    expect(issuesOf(makeEvent({ at: '2099-12-31T23:59:59.999Z', clock: { lamport: Number.MAX_SAFE_INTEGER, deviceId: 'till-1' } }))).toEqual([]);
    expect(issuesOf(makeEvent({ aggregateId: 'order-☕-😀', payload: { items: [], note: 'Crème brûlée 😀' } }))).toEqual([]);
  });

  it('should take a payload nested 16 levels and refuse 17, 31, 32, 33 and 64 (MariaDB refuses 32)', () => {
    const nested = (levels: number) => {
      // The payload object is the first level.
      let inner: JsonValue = 1;
      for (let i = 1; i < levels; i += 1) inner = [inner];
      return { items: [], deep: inner };
    };
    expect(issuesOf(makeEvent({ payload: nested(16) }))).toEqual([]);
    for (const levels of [17, 31, 32, 33, 64]) expect(issuesOf(makeEvent({ payload: nested(levels) }))[0]).toMatch(/^payload\.deep/);
  });

  it('should refuse a payload over 16 KB', () => {
    expect(issuesOf(makeEvent({ payload: { items: [], note: 'x'.repeat(20_000) } }))).toEqual(['payload']);
  });

  it.each([null, 42, 'event', []])('should refuse %p as a whole', (input) => {
    expect(validateEvent(input).ok).toBe(false);
  });
});

describe('compareEventOrder', () => {
  it('should order by lamport, then by event id', () => {
    const a = { clock: { lamport: 2, deviceId: 'x' }, eventId: 'b' };
    const b = { clock: { lamport: 3, deviceId: 'x' }, eventId: 'a' };
    const c = { clock: { lamport: 3, deviceId: 'y' }, eventId: 'c' };
    expect([c, b, a].sort(compareEventOrder)).toEqual([a, b, c]);
  });
});
