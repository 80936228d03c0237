import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { HUB_EVENTS, uuidv7, type RevokedSubject } from '@app/contracts';
import { generateEs256KeyPair, signNodeRevocationsToken } from '@app/crypto';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { handshakeOutcome, rawSocket } from '../../test/hub-devices.js';
import { CloudSigner } from '../../test/signed-commands.js';
import { createEdgeApp } from '../app.factory.js';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';

const now = () => Math.floor(Date.now() / 1000);

describe('node revocations at the hub (edge)', () => {
  const realm = { tenantId: uuidv7(), storeId: uuidv7() };
  let edge: EdgeTestApp;
  let cloud: CloudSigner;
  let url: string;
  let revokedNode: string;
  let replacementNode: string;
  const sockets: { disconnect(): unknown }[] = [];

  beforeEach(async () => {
    edge = await startEdgeTestApp('revocations', { TENANT_ID: realm.tenantId, STORE_ID: realm.storeId });
    await edge.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(edge.app.getHttpServer().address() as AddressInfo).port}`;
    cloud = new CloudSigner(edge.clusterKeys.privateKey, realm);
    [revokedNode, replacementNode] = [uuidv7(), uuidv7()];
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await edge.close();
  });

  /** The cloud's list for this store, as the heartbeat answer carries it. */
  const revocations = (
    subs: string[],
    options: { realm?: typeof realm; key?: ReturnType<typeof generateEs256KeyPair>['privateKey']; revokedAt?: number; tokensExpireBy?: number } = {},
  ) => {
    const revokedAt = options.revokedAt ?? now() - 5;
    const revoked: RevokedSubject[] = subs.map((sub) => ({ sub, revokedAt, tokensExpireBy: options.tokensExpireBy ?? revokedAt + 86_460 }));
    return signNodeRevocationsToken({ ...(options.realm ?? realm), revoked }, options.key ?? edge.clusterKeys.privateKey);
  };
  const hand = (token: string, as = cloud.token('agent', replacementNode)) =>
    request(edge.server).put('/api/v1/trust/revocations').set('Authorization', `Bearer ${as}`).send({ token });
  const outbox = (token: string) => request(edge.server).get('/api/v1/outbox').set('Authorization', `Bearer ${token}`);
  const moveCursor = (token: string) => request(edge.server).put('/api/v1/outbox/cursor').set('Authorization', `Bearer ${token}`).send({ cursor: 0 });

  describe('PUT /api/v1/trust/revocations', () => {
    it("should refuse a revoked node's agent token on every route once the cloud's list arrives, and keep accepting the others", async () => {
      const oldAgent = cloud.token('agent', revokedNode, realm, 86_400);
      const newAgent = cloud.token('agent', replacementNode);
      const till = cloud.token('device', 'till-front-counter-01');
      await outbox(oldAgent).expect(200);
      await moveCursor(oldAgent).expect(200);

      const res = await hand(revocations([revokedNode])).expect(200);
      expect(res.body).toEqual({
        added: [revokedNode],
        revoked: [{ sub: revokedNode, revokedAt: expect.any(String), forgetAt: expect.any(String), source: 'cloud' }],
      });
      // Kept until its last token's expiry plus the 7-day offline grace and the clock tolerance.
      const [entry] = res.body.revoked as { revokedAt: string; forgetAt: string }[];
      expect((Date.parse(entry!.forgetAt) - Date.parse(entry!.revokedAt)) / 1000).toBe(86_460 + 604_800 + 30);

      for (const refused of [outbox(oldAgent), moveCursor(oldAgent), request(edge.server).get('/api/v1/orders').set('Authorization', `Bearer ${oldAgent}`)]) {
        expect((await refused.expect(401)).body).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'token was revoked: its node was revoked by HQ' } });
      }
      await outbox(newAgent).expect(200);
      await moveCursor(newAgent).expect(200);
      await request(edge.server).get('/api/v1/orders').set('Authorization', `Bearer ${till}`).expect(200);
      // The heartbeat hands the list over again and again: nothing changes, one audit entry in all.
      expect((await hand(revocations([revokedNode])).expect(200)).body.added).toEqual([]);
      const audit = await request(edge.server).get('/api/v1/audit?limit=50').set('Authorization', `Bearer ${newAgent}`).expect(200);
      expect(audit.body.entries.filter((e: { action: string }) => e.action === 'trust.revocations.applied')).toEqual([
        expect.objectContaining({ actor: replacementNode, details: { revoked: [revokedNode], source: 'cloud', iat: expect.any(Number) } }),
      ]);
    });

    it.each([
      ['a list signed with another key', () => revocations([revokedNode], { key: generateEs256KeyPair().privateKey }), 422, 'REVOCATIONS_INVALID'],
      [
        'an unsigned list (alg none)',
        () =>
          unsigned({
            aud: 'pos-hub',
            typ: 'node-revocations',
            ...realm,
            revoked: [{ sub: revokedNode, revokedAt: now(), tokensExpireBy: now() + 86_400 }],
            iat: now(),
          }),
        422,
        'REVOCATIONS_INVALID',
      ],
      [
        'the list of another store of the tenant',
        () => revocations([revokedNode], { realm: { tenantId: realm.tenantId, storeId: uuidv7() } }),
        422,
        'WRONG_STORE',
      ],
      ['the list of another tenant', () => revocations([revokedNode], { realm: { tenantId: uuidv7(), storeId: realm.storeId } }), 422, 'WRONG_STORE'],
      ['a signing-keys token', () => cloud.signingKeysToken(), 422, 'REVOCATIONS_INVALID'],
      ['an agent token', () => cloud.token('agent', revokedNode), 422, 'REVOCATIONS_INVALID'],
    ])('should refuse %s and revoke nothing', async (_label, token, status, code) => {
      const oldAgent = cloud.token('agent', revokedNode);
      // Each names the node whose token is watched here.
      const res = await hand(token()).expect(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
      await outbox(oldAgent).expect(200);
      expect((await request(edge.server).get('/api/v1/trust/revocations').set('Authorization', `Bearer ${oldAgent}`).expect(200)).body).toEqual({
        added: [],
        revoked: [],
      });
    });

    it('should refuse a forged list that names a working node, and take lists only from an agent', async () => {
      const target = cloud.token('agent', replacementNode);
      await hand(revocations([replacementNode], { key: generateEs256KeyPair().privateKey }), cloud.token('agent', revokedNode)).expect(422);
      await outbox(target).expect(200);
      expect((await hand(revocations([revokedNode]), cloud.token('device', 'till-01')).expect(403)).body).toMatchObject({ code: 'FORBIDDEN' });
      expect((await request(edge.server).put('/api/v1/trust/revocations').set('Authorization', `Bearer ${target}`).send({}).expect(400)).body).toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });

    it('should keep nothing for tokens that can no longer be valid anyway', async () => {
      const longGone = now() - 604_800 - 31;
      expect((await hand(revocations([revokedNode], { revokedAt: longGone - 86_460, tokensExpireBy: longGone })).expect(200)).body).toEqual({
        added: [],
        revoked: [],
      });
    });
  });

  describe('Socket.IO', () => {
    it('should refuse the revoked token at the handshake and drop the connections it already holds, and no other', async () => {
      const oldAgent = rawSocket(url, cloud.token('agent', revokedNode));
      const newAgent = rawSocket(url, cloud.token('agent', replacementNode));
      const till = rawSocket(url, cloud.token('device', 'till-bar-02'));
      sockets.push(oldAgent, newAgent, till);
      expect(await Promise.all([oldAgent, newAgent, till].map(handshakeOutcome))).toEqual(['connected', 'connected', 'connected']);
      const dropped = new Promise<{ reason: string; error: unknown }>((resolve) => {
        let error: unknown = null;
        oldAgent.on(HUB_EVENTS.error, (e: unknown) => (error = e));
        oldAgent.on('disconnect', (reason) => resolve({ reason, error }));
      });
      await hand(revocations([revokedNode])).expect(200);
      expect(await dropped).toEqual({
        reason: 'io server disconnect',
        error: { code: 'UNAUTHORIZED', message: 'token was revoked: its node was revoked by HQ' },
      });
      const again = rawSocket(url, cloud.token('agent', revokedNode));
      sockets.push(again);
      expect(await handshakeOutcome(again)).toBe('unauthorized');
      // The others are still connected and served.
      for (const socket of [newAgent, till]) {
        expect(socket.connected).toBe(true);
        const ack = new Promise((resolve) => socket.once(HUB_EVENTS.helloAck, resolve));
        socket.emit(HUB_EVENTS.hello, { deviceId: socket === till ? 'till-bar-02' : replacementNode, ...realm, cursor: 0 });
        await expect(ack).resolves.toMatchObject({ cursor: 0 });
      }
    });
  });

  describe('POST /api/v1/trust/revocations/self', () => {
    it("should lock out the calling agent's own tokens only", async () => {
      const revoked = cloud.token('agent', revokedNode);
      const renewedEarlier = cloud.token('agent', revokedNode, realm, 86_400);
      const res = await request(edge.server).post('/api/v1/trust/revocations/self').set('Authorization', `Bearer ${revoked}`).expect(200);
      expect(res.body).toMatchObject({ added: [revokedNode], revoked: [{ sub: revokedNode, source: 'self' }] });
      await outbox(revoked).expect(401);
      await outbox(renewedEarlier).expect(401);
      await outbox(cloud.token('agent', replacementNode)).expect(200);
      await request(edge.server)
        .post('/api/v1/trust/revocations/self')
        .set('Authorization', `Bearer ${cloud.token('device', 'till-01')}`)
        .expect(403);
      // The cloud's word on the same node later changes nothing visible, and is kept as the cloud's.
      expect((await hand(revocations([revokedNode])).expect(200)).body).toMatchObject({ added: [], revoked: [{ sub: revokedNode, source: 'cloud' }] });
    });
  });

  describe('durability', () => {
    it('should still refuse the token after a restart, and drop entries whose tokens expired past the grace', async () => {
      await hand(revocations([revokedNode])).expect(200);
      const db = edge.app.get<SqliteDatabase>(SQLITE);
      const stale = uuidv7();
      db.prepare("INSERT INTO revoked_tokens (sub, revoked_at, tokens_expire_by, source, recorded_at) VALUES (?, ?, ?, 'cloud', ?)").run(
        stale,
        now() - 700_000,
        now() - 604_800 - 31,
        new Date().toISOString(),
      );
      await edge.app.close();
      const again = await createEdgeApp(edge.config);
      await again.init();
      try {
        const oldAgent = cloud.token('agent', revokedNode);
        expect((await request(again.getHttpServer()).get('/api/v1/outbox').set('Authorization', `Bearer ${oldAgent}`).expect(401)).body).toMatchObject({
          code: 'UNAUTHORIZED',
        });
        const rows = again.get<SqliteDatabase>(SQLITE).prepare<[], { sub: string }>('SELECT sub FROM revoked_tokens').all();
        expect(rows.map((r) => r.sub)).toEqual([revokedNode]);
      } finally {
        await again.close();
      }
      // afterEach closes `edge`: the first app is closed already, so hand it a fresh one.
      await edge.tmp.remove();
      edge = await startEdgeTestApp('revocations-after', { TENANT_ID: realm.tenantId, STORE_ID: realm.storeId });
    });
  });
});

function unsigned(claims: Record<string, unknown>): string {
  return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
}
