import { makeEvent } from '@app/testing';
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
