import { signClusterToken } from './cluster-token.js';
import { generateEd25519KeyPair, generateEs256KeyPair } from './keys.js';
import { signSigningKeysToken, verifySigningKeysToken } from './signing-keys-token.js';

const cluster = generateEs256KeyPair();
const command = generateEd25519KeyPair();
const keys = [{ keyId: command.keyId, publicKey: command.publicKeyBase64 }];

describe('verifySigningKeysToken', () => {
  it('should return the keys of a token signed by the cluster key', () => {
    const token = signSigningKeysToken(keys, cluster.privateKey, Date.parse('2026-11-21T09:00:00Z'));
    expect(verifySigningKeysToken(token, cluster.publicKey)).toEqual({
      ok: true,
      claims: { aud: 'pos-hub', typ: 'signing-keys', signingKeys: keys, iat: 1795251600 },
    });
  });

  it('should refuse a token signed by another key', () => {
    const token = signSigningKeysToken(keys, generateEs256KeyPair().privateKey);
    expect(verifySigningKeysToken(token, cluster.publicKey)).toMatchObject({ ok: false, message: expect.stringContaining('not signed by the cluster key') });
  });

  it('should refuse a cluster token presented as a key set', () => {
    const device = signClusterToken({ sub: 'till-1', tenantId: 't', storeId: 's', role: 'agent' }, cluster.privateKey, 60);
    expect(verifySigningKeysToken(device, cluster.publicKey)).toMatchObject({ ok: false, message: expect.stringContaining('not a signing-keys token') });
  });

  it('should refuse no token', () => {
    expect(verifySigningKeysToken(undefined, cluster.publicKey)).toEqual({ ok: false, message: 'no token' });
  });
});
