import jwt from 'jsonwebtoken';
import { signClusterToken, verifyClusterToken } from './cluster-token.js';
import { generateEd25519KeyPair, generateEs256KeyPair } from './keys.js';

const keys = generateEs256KeyPair();
const realm = { tenantId: 't-demo', storeId: 's-001' };
const subject = { sub: 'till-1', role: 'device' as const, ...realm };
const NOW = Date.parse('2026-11-21T09:00:00Z');

describe('verifyClusterToken', () => {
  it('should accept a fresh token of the hub realm and return its claims', () => {
    const token = signClusterToken(subject, keys.privateKey, 3600, NOW);
    const result = verifyClusterToken(token, keys.publicKey, { ...realm, now: NOW + 1000 });
    expect(result).toMatchObject({ ok: true, expired: false, claims: { sub: 'till-1', role: 'device', aud: 'pos-hub', tenantId: 't-demo', storeId: 's-001' } });
    expect(result.ok && result.claims).toMatchObject({ iat: NOW / 1000, nbf: NOW / 1000 - 5, exp: NOW / 1000 + 3600 });
  });

  it('should refuse another tenant or another store as realm_mismatch', () => {
    const otherTenant = signClusterToken({ ...subject, tenantId: 't-other' }, keys.privateKey, 3600, NOW);
    const otherStore = signClusterToken({ ...subject, storeId: 's-002' }, keys.privateKey, 3600, NOW);
    expect(verifyClusterToken(otherTenant, keys.publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false, reason: 'realm_mismatch' });
    expect(verifyClusterToken(otherStore, keys.publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false, reason: 'realm_mismatch' });
  });

  it('should refuse an expired token unless a grace is given, and flag a token accepted in grace', () => {
    const token = signClusterToken(subject, keys.privateKey, 60, NOW);
    const later = NOW + 10 * 60_000;
    expect(verifyClusterToken(token, keys.publicKey, { ...realm, now: later })).toMatchObject({ ok: false, reason: 'expired' });
    expect(verifyClusterToken(token, keys.publicKey, { ...realm, now: later, expiredGraceSeconds: 3600 })).toMatchObject({ ok: true, expired: true });
    expect(verifyClusterToken(token, keys.publicKey, { ...realm, now: NOW + 2 * 3600_000, expiredGraceSeconds: 3600 })).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('should refuse a token signed by another key (forged)', () => {
    const forger = generateEs256KeyPair();
    const token = signClusterToken(subject, forger.privateKey, 3600, NOW);
    expect(verifyClusterToken(token, keys.publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('should refuse alg none and HMAC tokens', () => {
    const claims = { ...subject, aud: 'pos-hub', nbf: NOW / 1000, exp: NOW / 1000 + 60 };
    const none = jwt.sign(claims, '', { algorithm: 'none' });
    const hmac = jwt.sign(claims, 'secret', { algorithm: 'HS256' });
    expect(verifyClusterToken(none, keys.publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false });
    expect(verifyClusterToken(hmac, keys.publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false });
  });

  it('should refuse a token for another audience', () => {
    const token = jwt.sign({ ...subject, aud: 'backoffice', nbf: NOW / 1000, exp: NOW / 1000 + 60 }, keys.privateKey, { algorithm: 'ES256' });
    expect(verifyClusterToken(token, keys.publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false, reason: 'wrong_audience' });
  });

  it('should refuse a token not valid yet', () => {
    const token = signClusterToken(subject, keys.privateKey, 3600, NOW + 3600_000);
    expect(verifyClusterToken(token, keys.publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false, reason: 'not_yet_valid' });
  });

  it('should refuse a missing, empty or garbage token', () => {
    expect(verifyClusterToken(undefined, keys.publicKey, realm)).toMatchObject({ ok: false, reason: 'missing' });
    expect(verifyClusterToken('', keys.publicKey, realm)).toMatchObject({ ok: false, reason: 'missing' });
    expect(verifyClusterToken('a.b.c', keys.publicKey, realm)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('should refuse a token whose role is unknown', () => {
    const token = jwt.sign({ ...subject, role: 'root', aud: 'pos-hub', nbf: NOW / 1000, exp: NOW / 1000 + 60 }, keys.privateKey, { algorithm: 'ES256' });
    expect(verifyClusterToken(token, keys.publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('should not accept an Ed25519 key as the verification key', () => {
    const token = signClusterToken(subject, keys.privateKey, 3600, NOW);
    expect(verifyClusterToken(token, generateEd25519KeyPair().publicKey, { ...realm, now: NOW })).toMatchObject({ ok: false });
  });
});
