import request from 'supertest';
import { generateEd25519KeyPair, generateEs256KeyPair, signSigningKeysToken } from '@app/crypto';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { CloudSigner } from '../../test/signed-commands.js';

describe('PUT /api/v1/trust/signing-keys (edge)', () => {
  let edge: EdgeTestApp;
  let cloud: CloudSigner;

  beforeEach(async () => {
    edge = await startEdgeTestApp('trust');
    cloud = new CloudSigner(edge.clusterKeys.privateKey);
  });

  afterEach(async () => {
    await edge.close();
  });

  const put = (token: string, as = cloud.token('agent')) =>
    request(edge.server).put('/api/v1/trust/signing-keys').set('Authorization', `Bearer ${as}`).send({ token });
  const held = async () =>
    (
      await request(edge.server)
        .get('/api/v1/trust/signing-keys')
        .set('Authorization', `Bearer ${cloud.token('agent')}`)
        .expect(200)
    ).body as { keyIds: string[]; iat: number | null };
  const applySnapshot = (signer: CloudSigner, key = signer.signingKey) =>
    request(edge.server)
      .post('/api/v1/commands/apply')
      .set('Authorization', `Bearer ${cloud.token('agent')}`)
      .send(signer.command('SETTINGS_SNAPSHOT', { values: { a: 1 } }, { revision: 1, key }));

  it('should trust every key of a token signed with the cluster key, several at once', async () => {
    const next = generateEd25519KeyPair();
    const res = await put(cloud.signingKeysToken([next])).expect(200);
    expect(res.body).toEqual({ keyIds: [cloud.commandKeys.keyId, next.keyId].sort(), iat: expect.any(Number), changed: true });
    expect((await held()).keyIds).toEqual([cloud.commandKeys.keyId, next.keyId].sort());
    await applySnapshot(cloud, { keyId: next.keyId, privateKey: next.privateKey }).expect(200);
  });

  it('should answer the same keys again without change, and refuse an older set of other keys', async () => {
    const now = Date.now();
    const current = cloud.signingKeysToken([], now);
    await put(current).expect(200);
    expect((await put(current).expect(200)).body).toMatchObject({ changed: false });
    const lateCopy = cloud.signingKeysToken([], now - 60_000);
    expect((await put(lateCopy).expect(200)).body).toEqual({ keyIds: [cloud.commandKeys.keyId], iat: Math.floor(now / 1000), changed: false });
    // A newer token with the same keys (every heartbeat) moves the issue time on, changes nothing else.
    expect((await put(cloud.signingKeysToken([], now + 30_000)).expect(200)).body).toEqual({
      keyIds: [cloud.commandKeys.keyId],
      iat: Math.floor((now + 30_000) / 1000),
      changed: false,
    });
    expect((await held()).iat).toBe(Math.floor((now + 30_000) / 1000));
    const older = cloud.signingKeysToken([generateEd25519KeyPair()], now + 10_000);
    const res = await put(older).expect(409);
    expect(res.body).toMatchObject({
      code: 'SIGNING_KEYS_STALE',
      details: { iat: Math.floor((now + 10_000) / 1000), heldIat: Math.floor((now + 30_000) / 1000) },
    });
    expect((await held()).keyIds).toEqual([cloud.commandKeys.keyId]);
  });

  it('should retire keys missing from a newer set', async () => {
    const now = Date.now();
    await put(cloud.signingKeysToken([], now - 10_000)).expect(200);
    const rotated = new CloudSigner(edge.clusterKeys.privateKey);
    await put(rotated.signingKeysToken([], now)).expect(200);
    expect((await held()).keyIds).toEqual([rotated.commandKeys.keyId]);
    expect((await applySnapshot(cloud).expect(422)).body).toMatchObject({ code: 'UNKNOWN_KEY' });
    await applySnapshot(rotated).expect(200);
  });

  it("should refuse a token not signed by this hub's cluster key, or not a signing-keys token, and keep what it held", async () => {
    await put(cloud.signingKeysToken()).expect(200);
    const otherCluster = signSigningKeysToken(
      [{ keyId: 'evil', publicKey: generateEd25519KeyPair().publicKeyBase64 }],
      generateEs256KeyPair().privateKey,
      Date.now() + 60_000,
    );
    expect((await put(otherCluster).expect(422)).body).toMatchObject({
      code: 'SIGNING_KEYS_INVALID',
      message: expect.stringContaining('not signed by the cluster key'),
    });
    expect((await put(cloud.token('agent')).expect(422)).body).toMatchObject({
      code: 'SIGNING_KEYS_INVALID',
      message: expect.stringContaining('not a signing-keys token'),
    });
    const notEd25519 = signSigningKeysToken(
      [{ keyId: 'ec', publicKey: generateEs256KeyPair().publicKeyBase64 }],
      edge.clusterKeys.privateKey,
      Date.now() + 60_000,
    );
    expect((await put(notEd25519).expect(422)).body).toMatchObject({ code: 'SIGNING_KEYS_INVALID', message: expect.stringContaining('not an Ed25519 key') });
    expect(
      (
        await request(edge.server)
          .put('/api/v1/trust/signing-keys')
          .set('Authorization', `Bearer ${cloud.token('agent')}`)
          .send({})
          .expect(400)
      ).body,
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'token' })] },
    });
    expect((await held()).keyIds).toEqual([cloud.commandKeys.keyId]);
  });

  it('should still trust the keys after a restart of the hub', async () => {
    await put(cloud.signingKeysToken()).expect(200);
    const dataDir = edge.tmp.path;
    await edge.app.close();
    const again = await startEdgeTestApp('trust-restart', { EDGE_DATA_DIR: dataDir, CLUSTER_PUBLIC_KEY_BASE64: edge.clusterKeys.publicKeyBase64 });
    try {
      const res = await request(again.server)
        .post('/api/v1/commands/apply')
        .set('Authorization', `Bearer ${cloud.token('agent')}`)
        .send(cloud.command('SETTINGS_SNAPSHOT', { values: { a: 1 } }, { revision: 1 }))
        .expect(200);
      expect(res.body).toMatchObject({ appliedRevision: 1, alreadyApplied: false });
    } finally {
      await again.close();
    }
  });

  it('should be for the agent only, and audit each change', async () => {
    await request(edge.server).put('/api/v1/trust/signing-keys').send({ token: cloud.signingKeysToken() }).expect(401);
    expect((await put(cloud.signingKeysToken(), cloud.token('device')).expect(403)).body).toMatchObject({ code: 'FORBIDDEN' });
    await request(edge.server)
      .get('/api/v1/trust/signing-keys')
      .set('Authorization', `Bearer ${cloud.token('device')}`)
      .expect(403);
    expect(await held()).toEqual({ keyIds: [], iat: null, changed: false });
    await put(cloud.signingKeysToken()).expect(200);
    await put(cloud.signingKeysToken([], Date.now() + 5_000)).expect(200);
    const audit = await request(edge.server)
      .get('/api/v1/audit')
      .set('Authorization', `Bearer ${cloud.token('agent')}`)
      .expect(200);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        actor: 'agent-1',
        action: 'trust.signing-keys.replaced',
        details: expect.objectContaining({ keyIds: [cloud.commandKeys.keyId], previousKeyIds: [], previousIat: null }),
      }),
    ]);
  });
});
