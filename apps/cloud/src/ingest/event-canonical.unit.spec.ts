import { validateEvent, type EventBase } from '@app/contracts';
import { canonicalize } from '@app/crypto';
import { makeEvent } from '@app/testing';
import { canonicalEventJson } from './event-canonical.js';

function validated(input: unknown): EventBase {
  const result = validateEvent(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

describe('canonicalEventJson', () => {
  it.each([
    [
      'an order with items',
      makeEvent({
        payload: {
          items: [{ sku: 'B1', qty: 2, name: 'Burger "special"', priceCents: 1450, station: 'kitchen', z: 1, a: [3, { y: 1, b: null }] }],
          tableId: 'T1',
        },
      }),
    ],
    [
      'a payment with a user',
      makeEvent({ type: 'order.paid', actor: { deviceId: 'till-2', userId: 'ü-ser ☕' }, payload: { totalCents: 4485, method: 'card' } }),
    ],
    [
      'an inventory adjustment',
      makeEvent({ type: 'inventory.adjusted', aggregateType: 'inventory', aggregateId: 'sku/€', payload: { sku: 'FLOUR', delta: -25, reason: 'waste\n' } }),
    ],
    [
      'big numbers and escapes',
      makeEvent({ version: 2_147_483_647, clock: { lamport: 9_007_199_254_740_991, deviceId: 'kds-1' }, payload: { items: [], note: '\u0000\u001f\\' } }),
    ],
  ])('should write exactly what canonicalize writes for %s', (_label, input) => {
    const event = validated(input);
    expect(canonicalEventJson(event)).toBe(canonicalize(event));
  });

  it('should leave an event with a lone surrogate to canonicalize, which refuses it', () => {
    // The contract refuses such an event first (validateEvent); this is the serialiser's own guard.
    expect(validateEvent(makeEvent({ aggregateId: 'order-\ud800' })).ok).toBe(false);
    const event = makeEvent({ aggregateId: 'order-\ud800' }) as EventBase;
    expect(() => canonicalEventJson(event)).toThrow('lone surrogate');
  });
});
