import { makeMenuItem } from '@app/testing';
import { validate } from '../validation/validate.js';
import { commandAckSchema, isRetryableAckError } from './command-ack.js';
import { commandEnvelopeSchema, validateCommandPayload } from './command-envelope.js';

const envelope = {
  commandId: '01937c1e-8f00-7000-8000-000000000001',
  tenantId: 't-demo',
  storeId: 's-001',
  seq: 3,
  domain: 'menu',
  type: 'MENU_UPSERT_BATCH',
  revision: 2,
  baseRevision: 1,
  payload: { items: [makeMenuItem()] },
  issuedAt: '2026-11-21T09:00:00.000Z',
  expiresAt: '2026-11-28T09:00:00.000Z',
  keyId: 'k1',
  signature: 'A'.repeat(86),
};

function pathsOf(input: unknown): string[] {
  const result = validate(commandEnvelopeSchema, input);
  return result.ok ? [] : result.issues.map((i) => i.path);
}

describe('commandEnvelopeSchema', () => {
  it('should accept a well-formed patch envelope', () => {
    expect(pathsOf(envelope)).toEqual([]);
  });

  it('should accept a snapshot with a null base revision', () => {
    expect(pathsOf({ ...envelope, type: 'MENU_SNAPSHOT', baseRevision: null })).toEqual([]);
  });

  it.each([
    ['a domain that does not match the type', { domain: 'settings' }, 'domain'],
    ['a patch without a base revision', { baseRevision: null }, 'baseRevision'],
    ['a snapshot with a base revision', { type: 'MENU_SNAPSHOT' }, 'baseRevision'],
    ['a base revision not below the revision', { baseRevision: 2 }, 'baseRevision'],
    ['an expiry before the issue time', { expiresAt: '2026-11-20T09:00:00.000Z' }, 'expiresAt'],
    ['an unknown type', { type: 'DROP_TABLES' }, 'type'],
    ['seq 0', { seq: 0 }, 'seq'],
    ['a signature that is not base64url', { signature: '!'.repeat(86) }, 'signature'],
  ])('should refuse %s', (_label, patch, path) => {
    expect(pathsOf({ ...envelope, ...patch })).toContain(path);
  });
});

describe('validateCommandPayload', () => {
  it('should name the field of a bad menu item', () => {
    const result = validateCommandPayload('MENU_UPSERT_BATCH', { items: [makeMenuItem({ priceCents: -5 })] });
    expect(result).toEqual({ ok: false, issues: [expect.objectContaining({ path: 'payload.items[0].priceCents', message: 'must not be negative' })] });
  });

  it('should refuse duplicate skus and a sku both upserted and removed', () => {
    const dup = validateCommandPayload('MENU_UPSERT_BATCH', { items: [makeMenuItem(), makeMenuItem()] });
    expect(dup.ok || dup.issues.map((i) => i.path)).toEqual(['payload.items[1]']);
    const both = validateCommandPayload('MENU_UPSERT_BATCH', { items: [makeMenuItem()], removeSkus: ['BURGER-1'] });
    expect(both.ok || both.issues.map((i) => i.path)).toEqual(['payload.removeSkus[0]']);
  });

  it('should refuse an empty patch', () => {
    expect(validateCommandPayload('MENU_UPSERT_BATCH', { items: [] }).ok).toBe(false);
    expect(validateCommandPayload('SETTINGS_PATCH', { values: {} }).ok).toBe(false);
    expect(validateCommandPayload('USER_UPSERT', { users: [] }).ok).toBe(false);
    expect(validateCommandPayload('ROLE_PERMISSIONS_PATCH', { roles: [] }).ok).toBe(false);
  });

  it('should accept settings patches that remove keys with null, but no null in snapshots', () => {
    expect(validateCommandPayload('SETTINGS_PATCH', { values: { tax: null, 'receipt.footer': 'Thanks' } }).ok).toBe(true);
    expect(validateCommandPayload('SETTINGS_SNAPSHOT', { values: { 'receipt.footer': 'Thanks' } }).ok).toBe(true);
    expect(validateCommandPayload('SETTINGS_SNAPSHOT', { values: { tax: 20, bad: Number.NaN } }).ok).toBe(false);
  });

  it('should refuse a user PIN given in clear', () => {
    const result = validateCommandPayload('USER_UPSERT', { users: [{ userId: 'u1', displayName: 'A', roleIds: [], active: true, pinHash: '1234' }] });
    expect(result.ok || result.issues.map((i) => i.path)).toEqual(['payload.users[0].pinHash']);
  });
});

describe('commandAckSchema', () => {
  const ack = { commandId: envelope.commandId, appliedAt: '2026-11-21T09:00:01.000Z' };

  it('should accept a success with its revision and a failure with its code', () => {
    expect(validate(commandAckSchema, { ...ack, status: 'ACKED', appliedRevision: 2 }).ok).toBe(true);
    expect(validate(commandAckSchema, { ...ack, status: 'FAILED', errorCode: 'REVISION_CONFLICT', errorDetail: 'edge at 3' }).ok).toBe(true);
  });

  it('should refuse a success without a revision and a failure without a code', () => {
    const noRevision = validate(commandAckSchema, { ...ack, status: 'ACKED' });
    expect(noRevision.ok || noRevision.issues.map((i) => i.path)).toEqual(['appliedRevision']);
    const noCode = validate(commandAckSchema, { ...ack, status: 'FAILED' });
    expect(noCode.ok || noCode.issues.map((i) => i.path)).toEqual(['errorCode']);
  });

  it('should class the error codes as SYSTEM.md 4.5 does', () => {
    const final = ['SIGNATURE_INVALID', 'UNKNOWN_KEY', 'WRONG_STORE', 'EXPIRED', 'INVALID_PAYLOAD', 'PAYLOAD_TOO_LARGE'];
    expect(final.map((c) => isRetryableAckError(c as never))).toEqual(final.map(() => false));
    expect(
      validate(commandAckSchema, {
        ...ack,
        status: 'FAILED',
        errorCode: 'PAYLOAD_TOO_LARGE',
        errorDetail: 'edge answered 413 PAYLOAD_TOO_LARGE: request body is too large',
      }).ok,
    ).toBe(true);
    expect(['REVISION_CONFLICT', 'EDGE_UNAVAILABLE', 'INTERNAL'].map((c) => isRetryableAckError(c as never))).toEqual([true, true, true]);
  });
});
