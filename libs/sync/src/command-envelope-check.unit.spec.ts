import { CommandKeyring, generateEd25519KeyPair, signCommand, signingKeyFrom, type CommandSigningKey } from '@app/crypto';
import { makeMenuItem } from '@app/testing';
import { checkCommandEnvelope, type EnvelopeCheck } from './command-envelope-check.js';

const realm = { tenantId: '0193a6f4-1c2d-7e3f-8a4b-5c6d7e8f9a0b', storeId: '0193a6f4-1c2d-7e3f-8a4b-000000000001' };
const now = Date.parse('2026-11-21T10:00:00.000Z');
const signer = generateEd25519KeyPair();
const key = signingKeyFrom(signer.privateKey, 'k1');
const keyring = CommandKeyring.fromPublicKeys([{ keyId: 'k1', publicKey: signer.publicKeyBase64 }]);

function envelope(overrides: Record<string, unknown> = {}, signWith: CommandSigningKey = key): Record<string, unknown> {
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
    signWith,
  ) as unknown as Record<string, unknown>;
}

function check(raw: unknown, earlier: string | null = null, at = now): EnvelopeCheck<string> {
  return checkCommandEnvelope(raw, { keyring, realm, now: at, earlierResultOf: () => earlier });
}

describe('checkCommandEnvelope', () => {
  it('should accept an envelope as the cloud signed it, with its parsed payload', () => {
    expect(check(JSON.parse(JSON.stringify(envelope())))).toEqual({
      ok: true,
      envelope: expect.objectContaining({ seq: 3, type: 'MENU_UPSERT_BATCH' }),
      payload: { items: [makeMenuItem()] },
      earlier: null,
    });
  });

  it('should refuse a body that is not an object with INVALID_PAYLOAD', () => {
    for (const raw of [null, 'x', 42, [envelope()]]) {
      expect(check(raw)).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_PAYLOAD', message: expect.stringContaining('a JSON object') }));
    }
  });

  it('should refuse an envelope changed, extended or shortened after signing with SIGNATURE_INVALID', () => {
    expect(check({ ...envelope(), payload: { items: [makeMenuItem({ priceCents: 1 })] } })).toEqual({
      ok: false,
      code: 'SIGNATURE_INVALID',
      message: "signature does not match key 'k1'",
      issues: [],
    });
    expect(check({ ...envelope(), extra: true })).toEqual(expect.objectContaining({ ok: false, code: 'SIGNATURE_INVALID' }));
    const { issuedAt: _dropped, ...shortened } = envelope();
    expect(check(shortened)).toEqual(expect.objectContaining({ ok: false, code: 'SIGNATURE_INVALID' }));
  });

  it('should refuse a key it does not trust with UNKNOWN_KEY, and another key under a trusted key id with SIGNATURE_INVALID', () => {
    expect(check(envelope({}, signingKeyFrom(generateEd25519KeyPair().privateKey, 'k2')))).toEqual({
      ok: false,
      code: 'UNKNOWN_KEY',
      message: "key 'k2' is not trusted",
      issues: [],
    });
    expect(check(envelope({}, signingKeyFrom(generateEd25519KeyPair().privateKey, 'k1')))).toEqual(
      expect.objectContaining({ ok: false, code: 'SIGNATURE_INVALID' }),
    );
  });

  it('should check the signature before anything else: a forged envelope of another store is SIGNATURE_INVALID', () => {
    expect(check({ ...envelope({ storeId: 'elsewhere' }), seq: 4 })).toEqual(expect.objectContaining({ ok: false, code: 'SIGNATURE_INVALID' }));
  });

  it('should refuse a validly signed command of a domain or type this version does not have with the final UNKNOWN_DOMAIN', () => {
    const newer = check(envelope({ domain: 'features', type: 'FEATURES_PATCH', payload: { flags: { kiosk: true } } }));
    expect(newer).toEqual({
      ok: false,
      code: 'UNKNOWN_DOMAIN',
      message:
        "this version does not know the domain 'features': it has the domains settings, menu, users, roles; the command applies once the " +
        'store runs a version that has it',
      issues: [],
    });
    expect(check(envelope({ type: 'MENU_REPRICE' }))).toEqual(
      expect.objectContaining({ ok: false, code: 'UNKNOWN_DOMAIN', message: expect.stringContaining("the command type 'MENU_REPRICE'") }),
    );
    // The signature still comes first: a forged envelope never learns what this version has.
    expect(check({ ...envelope(), domain: 'features' })).toEqual(expect.objectContaining({ ok: false, code: 'SIGNATURE_INVALID' }));
    // A domain that is not a string is a malformed envelope, not an unknown domain.
    expect(check(envelope({ domain: 7 }))).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_PAYLOAD' }));
  });

  it('should name the field of a signed but malformed envelope, before looking at its store', () => {
    const result = check(envelope({ baseRevision: null, storeId: 'not-this-store' }));
    expect(result).toEqual(expect.objectContaining({ ok: false, code: 'INVALID_PAYLOAD', issues: [expect.objectContaining({ path: 'baseRevision' })] }));
    expect(check(envelope({ domain: 'settings' }))).toEqual(
      expect.objectContaining({ ok: false, code: 'INVALID_PAYLOAD', message: expect.stringContaining('domain') }),
    );
  });

  it('should refuse another store and another tenant with WRONG_STORE, naming both', () => {
    expect(check(envelope({ storeId: '0193a6f4-1c2d-7e3f-8a4b-000000000002' }))).toEqual({
      ok: false,
      code: 'WRONG_STORE',
      message:
        `the command is for store '0193a6f4-1c2d-7e3f-8a4b-000000000002' of tenant '${realm.tenantId}', this node serves store ` +
        `'${realm.storeId}' of tenant '${realm.tenantId}'`,
      issues: [],
    });
    expect(check(envelope({ tenantId: '0193a6f4-1c2d-7e3f-8a4b-ffffffffffff' }))).toEqual(expect.objectContaining({ ok: false, code: 'WRONG_STORE' }));
  });

  it('should answer a replay with the earlier result even once expired, and never parse its payload again', () => {
    const result = check(envelope({ expiresAt: '2026-11-21T09:30:00.000Z' }), 'acked at revision 2');
    expect(result).toEqual({
      ok: true,
      envelope: expect.objectContaining({ commandId: '01937c1e-8f00-7000-8000-000000000001' }),
      payload: null,
      earlier: 'acked at revision 2',
    });
  });

  it('should refuse a command at or past its expiry with EXPIRED, naming the expiry and the clock', () => {
    const expiring = envelope({ expiresAt: '2026-11-21T10:00:00.000Z' });
    expect(check(expiring, null, now - 1)).toEqual(expect.objectContaining({ ok: true }));
    expect(check(expiring)).toEqual({
      ok: false,
      code: 'EXPIRED',
      message: 'the command expired at 2026-11-21T10:00:00.000Z (clock here 2026-11-21T10:00:00.000Z)',
      issues: [],
    });
  });

  it('should refuse a payload that does not fit its type with INVALID_PAYLOAD, naming the field', () => {
    expect(check(envelope({ payload: { items: [makeMenuItem({ priceCents: -5 })] } }))).toEqual({
      ok: false,
      code: 'INVALID_PAYLOAD',
      message: 'the command is invalid: payload.items[0].priceCents: must not be negative',
      issues: [expect.objectContaining({ path: 'payload.items[0].priceCents' })],
    });
  });
});
