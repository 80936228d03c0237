import type { CommandEnvelope, UnsignedCommandEnvelope } from '@app/contracts';
import { canonicalize } from './canonical-json.js';
import { CommandKeyring, commandSigningInput, signCommand, signingKeyFrom, verifyCommandSignature } from './command-signing.js';
import { generateEd25519KeyPair, privateKeyFromBase64, publicKeyFromBase64 } from './keys.js';

/** A fixed key and envelope: Ed25519 is deterministic, so the signature is a stable test vector. */
const VECTOR = {
  privateKey:
    'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1DNENBUUF3QlFZREsyVndCQ0lFSUZ6T2ZxMUNMTFFNREo2OHRXWmx5WUw1NnRJNW9nUjNNNHc3Q2J3Ly80UXYKLS0tLS1FTk' +
    'QgUFJJVkFURSBLRVktLS0tLQo=',
  publicKey:
    'LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUNvd0JRWURLMlZ3QXlFQXc4UTBEL3Q5bDM1K3p6ME55ZVptV1N0WXNENTNyY2loN1J2eDRrQ1BEMGM9Ci0tLS0tRU5EIFBVQkxJQyBLRVktLS0tLQo=',
  keyId: 'k-2026-11',
  unsigned: {
    commandId: '01937c1e-8f00-7000-8000-000000000001',
    tenantId: 't-demo',
    storeId: 's-001',
    seq: 12,
    domain: 'menu',
    type: 'MENU_UPSERT_BATCH',
    revision: 5,
    baseRevision: 4,
    payload: { items: [{ sku: 'BURGER-1', name: 'Cheeseburger', priceCents: 1150, category: 'Burgers', station: 'kitchen', available: true }] },
    issuedAt: '2026-11-21T09:00:00.000Z',
    expiresAt: '2026-11-28T09:00:00.000Z',
  } satisfies Omit<UnsignedCommandEnvelope, 'keyId'>,
  canonical:
    '{"baseRevision":4,"commandId":"01937c1e-8f00-7000-8000-000000000001","domain":"menu","expiresAt":"2026-11-28T09:00:00.000Z","issuedAt"' +
    ':"2026-11-21T09:00:00.000Z","keyId":"k-2026-11","payload":{"items":[{"available":true,"category":"Burgers","name":"Cheeseburger","pric' +
    'eCents":1150,"sku":"BURGER-1","station":"kitchen"}]},"revision":5,"seq":12,"storeId":"s-001","tenantId":"t-demo","type":"MENU_UPSERT_BATCH"}',
  signature: 'vCBppjPC29ouZiibOBtJwdodRW9U-ybsfmQwQtaiRc3H8S1oI6JDNp93n1CTs27oHMBUJoyoNh0vPuWrHaZ4Bw',
};

const vectorKey = signingKeyFrom(privateKeyFromBase64(VECTOR.privateKey), VECTOR.keyId);
const vectorRing = new CommandKeyring().add(VECTOR.keyId, publicKeyFromBase64(VECTOR.publicKey));

function signed(): CommandEnvelope {
  return signCommand(VECTOR.unsigned, vectorKey);
}

describe('signCommand', () => {
  it('should sign the canonical JSON of every field but the signature, keyId included', () => {
    const envelope = signed();
    expect(commandSigningInput(envelope).toString('utf8')).toBe(VECTOR.canonical);
    expect(envelope.keyId).toBe(VECTOR.keyId);
    expect(envelope.signature).toBe(VECTOR.signature);
  });
});

describe('verifyCommandSignature', () => {
  it('should accept the test vector', () => {
    expect(verifyCommandSignature({ ...signed() }, vectorRing)).toEqual({ ok: true });
  });

  it('should accept the same envelope with its keys in another order (JSON re-ordered in transit)', () => {
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(signed()).reverse()))) as Record<string, unknown>;
    expect(Object.keys(reordered)[0]).toBe('signature');
    expect(verifyCommandSignature(reordered, vectorRing)).toEqual({ ok: true });
  });

  it.each([
    ['a changed price', (e: Record<string, unknown>) => ({ ...e, payload: { items: [{ ...(e.payload as { items: object[] }).items[0], priceCents: 1 }] } })],
    ['another store', (e: Record<string, unknown>) => ({ ...e, storeId: 's-002' })],
    ['a later expiry', (e: Record<string, unknown>) => ({ ...e, expiresAt: '2027-01-01T00:00:00.000Z' })],
    ['an added field', (e: Record<string, unknown>) => ({ ...e, extra: true })],
    ['a removed field', (e: Record<string, unknown>) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'baseRevision'))],
    ['a number written as a string', (e: Record<string, unknown>) => ({ ...e, seq: '12' })],
  ])('should refuse an envelope tampered with %s as SIGNATURE_INVALID', (_label, tamper) => {
    const result = verifyCommandSignature(tamper({ ...signed() }), vectorRing);
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('should refuse a flipped signature bit', () => {
    const envelope = signed();
    const bytes = Buffer.from(envelope.signature, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    expect(verifyCommandSignature({ ...envelope, signature: bytes.toString('base64url') }, vectorRing)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('should refuse a missing or malformed signature', () => {
    const { signature: _s, ...unsigned } = signed();
    expect(verifyCommandSignature(unsigned, vectorRing)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(verifyCommandSignature({ ...signed(), signature: 'not-base64!' }, vectorRing)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('should refuse a key id it does not know as UNKNOWN_KEY', () => {
    const stranger = generateEd25519KeyPair();
    const envelope = signCommand(VECTOR.unsigned, signingKeyFrom(stranger.privateKey));
    expect(verifyCommandSignature({ ...envelope }, vectorRing)).toMatchObject({ ok: false, code: 'UNKNOWN_KEY' });
  });

  it('should refuse a signature by another key presented under a trusted key id', () => {
    const stranger = generateEd25519KeyPair();
    const envelope = signCommand(VECTOR.unsigned, signingKeyFrom(stranger.privateKey, VECTOR.keyId));
    expect(verifyCommandSignature({ ...envelope }, vectorRing)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });

  it('should accept commands signed by either key while two are valid during a rotation', () => {
    const next = generateEd25519KeyPair();
    const ring = CommandKeyring.fromPublicKeys([
      { keyId: VECTOR.keyId, publicKey: VECTOR.publicKey },
      { keyId: next.keyId, publicKey: next.publicKeyBase64 },
    ]);
    const byOld = signed();
    const byNew = signCommand(VECTOR.unsigned, signingKeyFrom(next.privateKey));
    expect(byNew.keyId).toBe(next.keyId);
    expect(verifyCommandSignature({ ...byOld }, ring)).toEqual({ ok: true });
    expect(verifyCommandSignature({ ...byNew }, ring)).toEqual({ ok: true });
  });
});

describe('CommandKeyring', () => {
  it('should round-trip its public keys', () => {
    const ring = CommandKeyring.fromPublicKeys(vectorRing.toPublicKeys());
    expect(ring.size).toBe(1);
    expect(verifyCommandSignature({ ...signed() }, ring)).toEqual({ ok: true });
  });

  it('should refuse a key that is not Ed25519', () => {
    expect(() => CommandKeyring.fromPublicKeys([{ keyId: 'x', publicKey: Buffer.from('nope').toString('base64') }])).toThrow();
  });
});

describe('canonical input', () => {
  it('should be independent of the signature value', () => {
    const envelope = signed();
    expect(commandSigningInput({ ...envelope, signature: 'x' })).toEqual(commandSigningInput(envelope));
    expect(canonicalize({ ...VECTOR.unsigned, keyId: VECTOR.keyId })).toBe(VECTOR.canonical);
  });
});
