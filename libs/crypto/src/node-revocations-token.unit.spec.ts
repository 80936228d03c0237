import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { clusterTokenClaimsSchema } from '@app/contracts';
import { signClusterToken, verifyClusterToken } from './cluster-token.js';
import { generateEs256KeyPair } from './keys.js';
import { signNodeRevocationsToken, verifyNodeRevocationsToken } from './node-revocations-token.js';
import { signSigningKeysToken } from './signing-keys-token.js';

const cluster = generateEs256KeyPair();
const realm = { tenantId: randomUUID(), storeId: randomUUID() };
const revoked = [{ sub: randomUUID(), revokedAt: 1_795_251_600, tokensExpireBy: 1_795_338_060 }];

describe('verifyNodeRevocationsToken', () => {
  it('should return the revocations of a token the cluster key signed for this store', () => {
    const token = signNodeRevocationsToken({ ...realm, revoked }, cluster.privateKey, Date.parse('2026-11-21T09:00:00Z'));
    expect(verifyNodeRevocationsToken(token, cluster.publicKey, realm)).toEqual({
      ok: true,
      claims: { aud: 'pos-hub', typ: 'node-revocations', ...realm, revoked, iat: 1795251600 },
    });
  });

  it('should refuse a token signed by another key', () => {
    const token = signNodeRevocationsToken({ ...realm, revoked }, generateEs256KeyPair().privateKey);
    expect(verifyNodeRevocationsToken(token, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('should refuse an unsigned token (alg none) and an HS256 token keyed with the public key', () => {
    const claims = { aud: 'pos-hub', typ: 'node-revocations', ...realm, revoked, iat: 1 };
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(verifyNodeRevocationsToken(unsigned, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'bad_signature' });
    const hs = jwt.sign(claims, cluster.publicKeyBase64, { algorithm: 'HS256' });
    expect(verifyNodeRevocationsToken(hs, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it("should refuse another store's and another tenant's revocations", () => {
    const otherStore = signNodeRevocationsToken({ tenantId: realm.tenantId, storeId: randomUUID(), revoked }, cluster.privateKey);
    const otherTenant = signNodeRevocationsToken({ tenantId: randomUUID(), storeId: realm.storeId, revoked }, cluster.privateKey);
    expect(verifyNodeRevocationsToken(otherStore, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'wrong_store' });
    expect(verifyNodeRevocationsToken(otherTenant, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'wrong_store' });
  });

  it('should not take a cluster token or a signing-keys token for a revocation list, nor the other way round', () => {
    const agent = signClusterToken({ sub: randomUUID(), ...realm, role: 'agent' }, cluster.privateKey, 60);
    const keys = signSigningKeysToken([{ keyId: 'k1', publicKey: 'x' }], cluster.privateKey);
    expect(verifyNodeRevocationsToken(agent, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyNodeRevocationsToken(keys, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'malformed' });
    const list = signNodeRevocationsToken({ ...realm, revoked }, cluster.privateKey);
    expect(verifyClusterToken(list, cluster.publicKey, realm)).toMatchObject({ ok: false });
    expect(clusterTokenClaimsSchema.safeParse(jwt.decode(list)).success).toBe(false);
  });

  it('should refuse no token and an empty list', () => {
    expect(verifyNodeRevocationsToken(undefined, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'missing' });
    const empty = signNodeRevocationsToken({ ...realm, revoked: [] }, cluster.privateKey);
    expect(verifyNodeRevocationsToken(empty, cluster.publicKey, realm)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
