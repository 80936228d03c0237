import { makeEvent } from '@app/testing';
import { isRejection, prepareEvent, type PreparedEvent } from './prepared-event.js';

const realm = { tenantId: 't-demo', storeId: 's-001' };

function prepared(raw: unknown): PreparedEvent {
  const result = prepareEvent(raw, 0, realm);
  if (isRejection(result)) throw new Error(result.message);
  return result;
}

describe('prepareEvent', () => {
  it('should give the same content hash to the same event whatever its key order or hub seq', () => {
    const event = makeEvent({ payload: { items: [{ sku: 'B1', qty: 1, note: 'no onions' }], tableId: 'T4' } });
    const { payload: _payload, ...rest } = event;
    // Same content, keys in another order (payload first, its keys reversed), and the hub's seq.
    const reordered = JSON.parse(
      JSON.stringify({ payload: { tableId: 'T4', items: [{ note: 'no onions', qty: 1, sku: 'B1' }] }, ...rest, seq: 17 }),
    ) as unknown;
    expect(prepared(reordered).contentHash).toBe(prepared(event).contentHash);
    expect(prepared(reordered).hubSeq).toBe(17);
    expect(prepared(event).hubSeq).toBeNull();
  });

  it('should give another hash to other content under the same id', () => {
    const event = makeEvent();
    expect(prepared({ ...event, version: 2 }).contentHash).not.toBe(prepared(event).contentHash);
  });

  it('should store the canonical EventBase, without the hub seq', () => {
    const event = makeEvent();
    expect(JSON.parse(prepared({ ...event, seq: 3 }).body)).toEqual(event);
  });

  it.each([
    ['not an object', 'hello', null, 'INVALID'],
    ['a missing field', { ...makeEvent(), at: undefined }, 'at', 'INVALID'],
    ['a bad hub seq', { ...makeEvent(), seq: 0 }, 'seq', 'INVALID'],
    ['another store', makeEvent({ storeId: 's-002' }), 's-002', 'REALM_MISMATCH'],
    ['another tenant', makeEvent({ tenantId: 't-other' }), 't-other', 'REALM_MISMATCH'],
  ])('should reject %s on its own', (_label, raw, mentioned, code) => {
    const result = prepareEvent(raw, 4, realm);
    expect(isRejection(result) && result).toMatchObject({ index: 4, code });
    if (mentioned) expect(isRejection(result) && result.message).toContain(mentioned);
  });
});
