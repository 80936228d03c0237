import { CommandKeyring, generateEd25519KeyPair, signCommand, signingKeyFrom } from '@app/crypto';
import { makeMenuItem } from '@app/testing';
import { ackableIdOf, checkSignature, checkTrustedCommand } from './command-check.js';

const realm = { tenantId: 't-demo', storeId: 's-001' };
const now = Date.parse('2026-11-21T10:00:00.000Z');
const signer = generateEd25519KeyPair();
const key = signingKeyFrom(signer.privateKey, 'k1');
const keyring = CommandKeyring.fromPublicKeys([{ keyId: 'k1', publicKey: signer.publicKeyBase64 }]);

function envelope(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return signCommand(
    {
      commandId: '01937c1e-8f00-7000-8000-000000000001',
      ...realm,
      seq: 3,
      domain: 'menu',
      type: 'MENU_UPSERT_BATCH',
      revision: 2,
      baseRevision: 1,
      payload: { items: [makeMenuItem()] },
      issuedAt: '2026-11-21T09:00:00.000Z',
      expiresAt: '2026-11-28T09:00:00.000Z',
      ...overrides,
    } as never,
    key,
  ) as unknown as Record<string, unknown>;
}

describe('checkSignature', () => {
  it('should accept an envelope as the cloud signed it', () => {
    expect(checkSignature(envelope(), keyring)).toEqual({ ok: true });
  });

  it('should refuse an envelope changed after signing, with SIGNATURE_INVALID', () => {
    const tampered = { ...envelope(), payload: { items: [makeMenuItem({ priceCents: 1 })] } };
    expect(checkSignature(tampered, keyring)).toEqual({ ok: false, code: 'SIGNATURE_INVALID', detail: "signature does not match key 'k1'" });
    expect(checkSignature({ ...envelope(), extra: true }, keyring)).toEqual(expect.objectContaining({ ok: false, code: 'SIGNATURE_INVALID' }));
  });

  it('should refuse a key it does not trust, with UNKNOWN_KEY', () => {
    const other = signingKeyFrom(generateEd25519KeyPair().privateKey, 'k2');
    const { signature: _s, keyId: _k, ...unsigned } = envelope();
    expect(checkSignature(signCommand(unsigned as never, other) as never, keyring)).toEqual({ ok: false, code: 'UNKNOWN_KEY', detail: "key 'k2' is not trusted" });
  });

  it('should refuse a signature made with another key under a trusted key id', () => {
    const impostor = signingKeyFrom(generateEd25519KeyPair().privateKey, 'k1');
    const { signature: _s, keyId: _k, ...unsigned } = envelope();
    expect(checkSignature(signCommand(unsigned as never, impostor) as never, keyring)).toEqual(expect.objectContaining({ ok: false, code: 'SIGNATURE_INVALID' }));
  });
});

describe('checkTrustedCommand', () => {
  it('should accept a command of this store before its expiry', () => {
    expect(checkTrustedCommand(envelope(), realm, now)).toEqual({ ok: true, command: expect.objectContaining({ seq: 3, type: 'MENU_UPSERT_BATCH' }) });
  });

  it('should refuse another store and another tenant with WRONG_STORE', () => {
    expect(checkTrustedCommand(envelope({ storeId: 's-002' }), realm, now)).toEqual(expect.objectContaining({ ok: false, code: 'WRONG_STORE' }));
    expect(checkTrustedCommand(envelope({ tenantId: 't-other' }), realm, now)).toEqual(expect.objectContaining({ ok: false, code: 'WRONG_STORE' }));
  });

  it('should refuse an expired command with EXPIRED, naming the expiry', () => {
    const result = checkTrustedCommand(envelope({ expiresAt: '2026-11-21T09:59:59.000Z' }), realm, now);
    expect(result).toEqual({ ok: false, code: 'EXPIRED', detail: 'command expired at 2026-11-21T09:59:59.000Z (agent clock 2026-11-21T10:00:00.000Z)' });
  });

  it('should refuse a payload that does not fit its type with INVALID_PAYLOAD, naming the field', () => {
    const result = checkTrustedCommand(envelope({ payload: { items: [makeMenuItem({ priceCents: -5 })] } }), realm, now);
    expect(result).toEqual({ ok: false, code: 'INVALID_PAYLOAD', detail: 'payload.items[0].priceCents: must not be negative' });
  });

  it('should refuse an envelope whose domain does not match its type with INVALID_PAYLOAD', () => {
    expect(checkTrustedCommand(envelope({ domain: 'settings' }), realm, now)).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_PAYLOAD', detail: expect.stringContaining('domain') }));
  });
});

describe('ackableIdOf', () => {
  it('should read the command id and seq of anything that has them', () => {
    expect(ackableIdOf(envelope())).toEqual({ commandId: '01937c1e-8f00-7000-8000-000000000001', seq: 3 });
    expect(ackableIdOf({ commandId: '01937c1e-8f00-7000-8000-000000000001', seq: 'x' })).toEqual({ commandId: '01937c1e-8f00-7000-8000-000000000001', seq: null });
  });

  it('should give up on what has no usable command id', () => {
    expect(ackableIdOf(null)).toBeNull();
    expect(ackableIdOf('x')).toBeNull();
    expect(ackableIdOf({ commandId: 'not-a-uuid' })).toBeNull();
  });
});
