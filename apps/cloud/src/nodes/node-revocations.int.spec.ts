import { heartbeatResponseSchema, type HeartbeatRequest } from '@app/contracts';
import { publicKeyFromBase64, verifyNodeRevocationsToken } from '@app/crypto';
import { CloudApi, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import { AGENT_TOKEN_TTL_SECONDS } from './node-credentials.service.js';
import { NodeRevocationsService } from './node-revocations.service.js';

const beat: HeartbeatRequest = {
  softwareVersion: '1.2.3',
  appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 },
  outboxDepth: 0,
  hubSeq: 0,
  cloudCursor: 0,
  edgeReachable: true,
  lastCloudSyncAt: null,
};

describe(NodeRevocationsService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;

  beforeAll(async () => {
    cloud = await startCloudTestApp('node-revocations');
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
  });

  afterAll(async () => {
    await cloud.close();
  });

  /** A store whose first node the admin revoked, then a replacement node registered. */
  async function storeWithRevokedNode(admin: CloudApi, storeId: string): Promise<{ revoked: RegisteredNode; replacement: RegisteredNode }> {
    const revoked = await registerNode(anyone, admin, storeId, 'stolen-box');
    await admin.post(`/api/v1/nodes/${revoked.nodeId}/revoke`, { reason: 'box reported stolen from the back office' }).expect(200);
    const replacement = await registerNode(anyone, admin, storeId, 'replacement-box');
    return { revoked, replacement };
  }

  async function heartbeatAnswer(node: RegisteredNode) {
    return heartbeatResponseSchema.parse((await node.api.post('/api/v1/nodes/heartbeat', beat).expect(200)).body);
  }

  describe('heartbeat', () => {
    it("should carry the store's revoked nodes, signed for that store only, never another store's or tenant's", async () => {
      const tenant = await make.tenant();
      const admin = anyone.as((await make.operatorWithToken(tenant)).token);
      const [storeA, storeB] = [await make.store(tenant), await make.store(tenant)];
      const other = await make.tenant();
      const otherAdmin = anyone.as((await make.operatorWithToken(other)).token);
      const otherStore = await make.store(other);
      const a = await storeWithRevokedNode(admin, storeA.id);
      const b = await storeWithRevokedNode(admin, storeB.id);
      const o = await storeWithRevokedNode(otherAdmin, otherStore.id);
      const clusterKey = publicKeyFromBase64(cloud.config.clusterPublicKeyBase64);

      const answer = await heartbeatAnswer(a.replacement);
      const checked = verifyNodeRevocationsToken(answer.revocationsToken, clusterKey, { tenantId: tenant.id, storeId: storeA.id });
      if (!checked.ok) throw new Error(checked.message);
      expect(checked.claims.revoked.map((r) => r.sub)).toEqual([a.revoked.nodeId]);
      const row = await prisma.storeNode.findUniqueOrThrow({ where: { id: a.revoked.nodeId } });
      const revokedAt = Math.floor(row.revokedAt!.getTime() / 1000);
      expect(checked.claims.revoked[0]).toEqual({ sub: a.revoked.nodeId, revokedAt, tokensExpireBy: revokedAt + AGENT_TOKEN_TTL_SECONDS + 60 });
      // The same token is refused by any other store's hub.
      expect(verifyNodeRevocationsToken(answer.revocationsToken, clusterKey, { tenantId: tenant.id, storeId: storeB.id })).toMatchObject({
        ok: false,
        reason: 'wrong_store',
      });
      expect(verifyNodeRevocationsToken(answer.revocationsToken, clusterKey, { tenantId: other.id, storeId: otherStore.id })).toMatchObject({
        ok: false,
        reason: 'wrong_store',
      });

      const forB = verifyNodeRevocationsToken((await heartbeatAnswer(b.replacement)).revocationsToken, clusterKey, { tenantId: tenant.id, storeId: storeB.id });
      expect(forB).toMatchObject({ ok: true, claims: { revoked: [{ sub: b.revoked.nodeId }] } });
      const forOther = verifyNodeRevocationsToken((await heartbeatAnswer(o.replacement)).revocationsToken, clusterKey, {
        tenantId: other.id,
        storeId: otherStore.id,
      });
      expect(forOther).toMatchObject({ ok: true, claims: { revoked: [{ sub: o.revoked.nodeId }] } });
      // The revoked node itself gets nothing: its heartbeat is refused.
      expect((await a.revoked.api.post('/api/v1/nodes/heartbeat', beat).expect(403)).body).toMatchObject({ code: 'NODE_REVOKED' });
    });

    it('should list a node replaced by a new registration, newest first', async () => {
      const tenant = await make.tenant();
      const admin = anyone.as((await make.operatorWithToken(tenant)).token);
      const store = await make.store(tenant);
      const first = await registerNode(anyone, admin, store.id, 'box-1');
      const second = await registerNode(anyone, admin, store.id, 'box-2');
      await prisma.storeNode.update({ where: { id: first.nodeId }, data: { revokedAt: new Date(Date.now() - 3_600_000) } });
      const third = await registerNode(anyone, admin, store.id, 'box-3');
      const checked = verifyNodeRevocationsToken((await heartbeatAnswer(third)).revocationsToken, publicKeyFromBase64(cloud.config.clusterPublicKeyBase64), {
        tenantId: tenant.id,
        storeId: store.id,
      });
      expect(checked).toMatchObject({ ok: true, claims: { revoked: [{ sub: second.nodeId }, { sub: first.nodeId }] } });
    });

    it('should carry nothing for a store with no revocation, and forget one older than NODE_REVOCATION_NOTICE_SECONDS', async () => {
      const tenant = await make.tenant();
      const admin = anyone.as((await make.operatorWithToken(tenant)).token);
      const store = await make.store(tenant);
      const only = await registerNode(anyone, admin, store.id);
      expect(await heartbeatAnswer(only)).toEqual({ serverTime: expect.any(String) });

      const old = await make.store(tenant);
      const { revoked, replacement } = await storeWithRevokedNode(admin, old.id);
      // Revoked 8 days and a minute ago: its tokens expired over a week ago, past every hub's grace.
      await prisma.storeNode.update({ where: { id: revoked.nodeId }, data: { revokedAt: new Date(Date.now() - (8 * 86_400 + 60) * 1000) } });
      expect((await heartbeatAnswer(replacement)).revocationsToken).toBeUndefined();
    });
  });
});
