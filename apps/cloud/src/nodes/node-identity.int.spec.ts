import { commandEnvelopeSchema, registerNodeResponseSchema, renewNodeTokenResponseSchema, type HeartbeatRequest } from '@app/contracts';
import { publicKeyFromBase64, verifyClusterToken, verifySigningKeysToken } from '@app/crypto';
import { makeEvent, makeMenuItem, waitFor } from '@app/testing';
import { ackOk, CloudApi, pollCommands, registerNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { AccessTokensService } from '../auth/access-tokens.service.js';
import { listRoutes } from '../auth/route-policy.js';
import { PrismaService } from '../database/prisma.service.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { NodeIdentityService } from './node-identity.service.js';

const heartbeat = (overrides: Partial<HeartbeatRequest> = {}): HeartbeatRequest => ({
  softwareVersion: '1.2.3',
  appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 },
  outboxDepth: 0,
  hubSeq: 0,
  cloudCursor: 0,
  edgeReachable: true,
  lastCloudSyncAt: null,
  ...overrides,
});

describe(NodeIdentityService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let tenant: TenantRow;
  let admin: CloudApi;

  beforeAll(async () => {
    cloud = await startCloudTestApp('node-identity', { NODE_OFFLINE_AFTER_SECONDS: '45' });
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant();
    admin = anyone.as((await make.operatorWithToken(tenant)).token);
  });

  afterAll(async () => {
    await cloud.close();
  });

  async function bootstrapToken(storeId: string): Promise<string> {
    return (await admin.post(`/api/v1/stores/${storeId}/nodes/bootstrap`, { ttlSeconds: 3600 }).expect(201)).body.token as string;
  }

  const register = (token: string) => anyone.post('/api/v1/nodes/register', { bootstrapToken: token, hostname: 'pi-1', softwareVersion: '1.0.0' });

  describe('register', () => {
    it('should trade a bootstrap token for node credentials and the keys to trust', async () => {
      const store = await make.store(tenant);
      const res = await register(await bootstrapToken(store.id)).expect(201);
      const body = registerNodeResponseSchema.parse(res.body);
      expect(body).toMatchObject({
        tenantId: tenant.id,
        storeId: store.id,
        signingKeys: cloud.config.commandVerifyKeys,
        clusterPublicKey: cloud.config.clusterPublicKeyBase64,
      });
      const clusterKey = publicKeyFromBase64(body.clusterPublicKey);
      expect(verifyClusterToken(body.agentToken, clusterKey, { tenantId: tenant.id, storeId: store.id })).toMatchObject({
        ok: true,
        claims: { role: 'agent', sub: body.nodeId },
      });
      expect(verifySigningKeysToken(body.signingKeysToken, clusterKey)).toMatchObject({ ok: true, claims: { signingKeys: body.signingKeys } });
      const row = await prisma.storeNode.findUniqueOrThrow({ where: { id: body.nodeId } });
      expect(row).toMatchObject({ status: 'ACTIVE', hostname: 'pi-1', softwareVersion: '1.0.0' });
      expect(row.secretHash).not.toContain(body.nodeSecret);
      await anyone.as(body.accessToken).post('/api/v1/nodes/heartbeat', heartbeat()).expect(200);
    });

    it('should accept a bootstrap token once only', async () => {
      const store = await make.store(tenant);
      const token = await bootstrapToken(store.id);
      await register(token).expect(201);
      const again = await register(token).expect(401);
      expect(again.body).toMatchObject({ code: 'BOOTSTRAP_TOKEN_USED' });
    });

    it('should let exactly one of several concurrent registrations use a token', async () => {
      const store = await make.store(tenant);
      const token = await bootstrapToken(store.id);
      const results = await Promise.all(Array.from({ length: 6 }, () => register(token)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 401).map((r) => r.body.code)).toEqual(Array(5).fill('BOOTSTRAP_TOKEN_USED'));
      expect(await prisma.storeNode.count({ where: { storeId: store.id } })).toBe(1);
    });

    it('should refuse an expired or unknown bootstrap token', async () => {
      const store = await make.store(tenant);
      const token = await bootstrapToken(store.id);
      await prisma.nodeBootstrapToken.updateMany({ where: { storeId: store.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
      expect((await register(token).expect(401)).body).toMatchObject({ code: 'BOOTSTRAP_TOKEN_EXPIRED' });
      expect((await register('x'.repeat(43)).expect(401)).body).toMatchObject({ code: 'BOOTSTRAP_TOKEN_INVALID' });
      expect(await prisma.storeNode.count({ where: { storeId: store.id } })).toBe(0);
    });

    it('should store only the hash of a bootstrap token and refuse a bad body naming the field', async () => {
      const store = await make.store(tenant);
      const token = await bootstrapToken(store.id);
      const rows = await prisma.nodeBootstrapToken.findMany({ where: { storeId: store.id } });
      expect(rows).toHaveLength(1);
      expect(rows[0]!.tokenHash).not.toBe(token);
      const res = await anyone.post('/api/v1/nodes/register', { bootstrapToken: token, softwareVersion: '1.0.0' }).expect(400);
      expect(res.body.details.issues).toEqual([expect.objectContaining({ path: 'hostname' })]);
    });

    it('should replace the store’s previous node, which is locked out at once', async () => {
      const store = await make.store(tenant);
      const first = await registerNode(anyone, admin, store.id, 'old-box');
      const second = await registerNode(anyone, admin, store.id, 'new-box');
      const refused = await first.api.post('/api/v1/nodes/heartbeat', heartbeat()).expect(403);
      expect(refused.body).toMatchObject({ code: 'NODE_REVOKED', message: expect.stringContaining('replaced') });
      await second.api.post('/api/v1/nodes/heartbeat', heartbeat()).expect(200);
      const nodes = (await admin.get(`/api/v1/stores/${store.id}/nodes`).expect(200)).body.nodes;
      expect(nodes.map((n: { hostname: string; status: string }) => [n.hostname, n.status])).toEqual([
        ['new-box', 'ACTIVE'],
        ['old-box', 'REVOKED'],
      ]);
    });
  });

  describe('renew', () => {
    it('should renew the access token with the node secret and refuse a wrong secret', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      const res = await anyone.post('/api/v1/nodes/token', { nodeId: node.nodeId, nodeSecret: node.nodeSecret }).expect(200);
      const renewed = renewNodeTokenResponseSchema.parse(res.body);
      await anyone.as(renewed.accessToken).post('/api/v1/nodes/heartbeat', heartbeat()).expect(200);
      const wrong = await anyone.post('/api/v1/nodes/token', { nodeId: node.nodeId, nodeSecret: 'y'.repeat(43) }).expect(401);
      expect(wrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    });

    it('should answer an expired access token with TOKEN_EXPIRED, so the agent renews it', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      const stale = cloud.app
        .get(AccessTokensService)
        .signNodeToken({ id: node.nodeId, tenantId: tenant.id, storeId: store.id }, Date.now() - 16 * 60_000).token;
      const res = await anyone.as(stale).post('/api/v1/nodes/heartbeat', heartbeat()).expect(401);
      expect(res.body).toMatchObject({ code: 'TOKEN_EXPIRED' });
    });
  });

  describe('heartbeat', () => {
    it('should show the store online with what the heartbeat reported, and offline once it is old', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      const before = (await admin.get(`/api/v1/stores/${store.id}`).expect(200)).body;
      expect(before).toMatchObject({ online: false, lastHeartbeatAt: null, outboxDepth: null });
      const lastSync = new Date(Date.now() - 90_000).toISOString();
      await node.api
        .post(
          '/api/v1/nodes/heartbeat',
          heartbeat({
            softwareVersion: '2.0.0',
            outboxDepth: 17,
            hubSeq: 120,
            cloudCursor: 103,
            edgeReachable: true,
            lastCloudSyncAt: lastSync,
            appliedRevisions: { settings: 0, menu: 3, users: 0, roles: 0 },
          }),
        )
        .expect(200);
      const view = (await admin.get(`/api/v1/stores/${store.id}`).expect(200)).body;
      expect(view).toMatchObject({
        online: true,
        softwareVersion: '2.0.0',
        outboxDepth: 17,
        edgeReachable: true,
        domains: { menu: { appliedRevision: 3, desiredRevision: 0, drift: true } },
      });
      expect(view.syncLagSeconds).toBeGreaterThanOrEqual(89);
      await prisma.storeNode.update({ where: { id: node.nodeId }, data: { lastSeenAt: new Date(Date.now() - 46_000) } });
      expect((await admin.get(`/api/v1/stores/${store.id}`).expect(200)).body).toMatchObject({ online: false });
    });

    it('should not take applied revisions from an agent that cannot reach its hub', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      await node.api.post('/api/v1/nodes/heartbeat', heartbeat({ appliedRevisions: { settings: 2, menu: 5, users: 1, roles: 1 } })).expect(200);
      await node.api
        .post('/api/v1/nodes/heartbeat', heartbeat({ edgeReachable: false, appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 } }))
        .expect(200);
      const view = (await admin.get(`/api/v1/stores/${store.id}`).expect(200)).body;
      expect(view).toMatchObject({ edgeReachable: false, domains: { menu: { appliedRevision: 5 }, settings: { appliedRevision: 2 } } });
    });

    it('should take the domains a hub of another version lists: the known ones recorded, a newer one ignored, a missing one left as it was', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      await node.api.post('/api/v1/nodes/heartbeat', heartbeat({ appliedRevisions: { settings: 2, menu: 5, users: 1, roles: 1 } })).expect(200);
      // A newer hub has a domain this cloud does not know; an older one lacks users and roles.
      await node.api
        .post('/api/v1/nodes/heartbeat', heartbeat({ appliedRevisions: { settings: 3, menu: 6, printer_profiles: 9 } as HeartbeatRequest['appliedRevisions'] }))
        .expect(200);
      const view = (await admin.get(`/api/v1/stores/${store.id}`).expect(200)).body;
      expect(view.domains).toMatchObject({
        settings: { appliedRevision: 3 },
        menu: { appliedRevision: 6 },
        users: { appliedRevision: 1 },
        roles: { appliedRevision: 1 },
      });
      expect(Object.keys(view.domains)).not.toContain('printer_profiles');
    });

    it('should refuse applied revisions under a name no domain can have, naming it', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      for (const bad of [{ 'Menu!': 1 }, { menu: -1 }, { menu: 1.5 }, Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`d${i}`, 1]))]) {
        const res = await node.api.post('/api/v1/nodes/heartbeat', heartbeat({ appliedRevisions: bad as HeartbeatRequest['appliedRevisions'] })).expect(400);
        expect(res.body.details.issues).toEqual([expect.objectContaining({ path: expect.stringMatching(/^appliedRevisions/) })]);
      }
    });

    it('should refuse a malformed heartbeat naming the field', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      const res = await node.api.post('/api/v1/nodes/heartbeat', heartbeat({ outboxDepth: -1 })).expect(400);
      expect(res.body.details.issues).toEqual([expect.objectContaining({ path: 'outboxDepth' })]);
    });
  });

  describe('a revoked node', () => {
    // Every node route, with a request a healthy node would have answered with 2xx.
    const NODE_ROUTES: Record<string, (ctx: { commandId: string }) => [method: 'get' | 'post', path: string, body?: unknown]> = {
      'POST /api/v1/nodes/heartbeat': () => ['post', '/api/v1/nodes/heartbeat', heartbeat()],
      'GET /api/v1/nodes/commands': () => ['get', '/api/v1/nodes/commands?wait=0'],
      'POST /api/v1/commands/:commandId/ack': ({ commandId }) => [
        'post',
        `/api/v1/commands/${commandId}/ack`,
        { commandId, status: 'ACKED', appliedRevision: 1, appliedAt: new Date().toISOString() },
      ],
      'POST /api/v1/events/ingest': () => ['post', '/api/v1/events/ingest', { events: [makeEvent()] }],
      'GET /api/v1/nodes/events': () => ['get', '/api/v1/nodes/events'],
    };

    it('should cover every node route of the application', () => {
      const nodeRoutes = listRoutes(cloud.app)
        .filter((r) => r.policy?.kind === 'node')
        .map((r) => `${r.method} ${r.path}`);
      expect(nodeRoutes.sort()).toEqual(Object.keys(NODE_ROUTES).sort());
    });

    it('should be refused with NODE_REVOKED on every node route, and on renewal, at once', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      const commandId = (await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem()] } }).expect(201)).body
        .commandId as string;
      const [envelope] = await pollCommands(node.api, 0);
      expect(commandEnvelopeSchema.parse(envelope).commandId).toBe(commandId);

      await admin.post(`/api/v1/nodes/${node.nodeId}/revoke`, { reason: 'box stolen' }).expect(200);
      for (const [route, build] of Object.entries(NODE_ROUTES)) {
        const [method, path, body] = build({ commandId });
        const res = await node.api.call(method, path, body);
        expect([route, res.status, res.body.code]).toEqual([route, 403, 'NODE_REVOKED']);
      }
      const renew = await anyone.post('/api/v1/nodes/token', { nodeId: node.nodeId, nodeSecret: node.nodeSecret }).expect(403);
      expect(renew.body).toMatchObject({ code: 'NODE_REVOKED', message: expect.stringContaining('box stolen') });
      // Nothing it sent was recorded.
      expect(await prisma.syncCommand.findUniqueOrThrow({ where: { id: commandId } })).toMatchObject({ status: 'DELIVERED' });
      expect(await prisma.ingestedEvent.count({ where: { storeId: store.id } })).toBe(0);
      expect(await prisma.auditLog.count({ where: { targetId: node.nodeId, action: 'node.revoked' } })).toBe(1);
    });

    it('should end a long-poll the node holds when it is revoked', async () => {
      const store = await make.store(tenant);
      const node = await registerNode(anyone, admin, store.id);
      const polled = node.api.get('/api/v1/nodes/commands?wait=20');
      const waiting = polled.then((r) => r);
      await waitFor(async () => ((await cloud.app.get(CloudMetrics).longPollWaiters.get()).values[0]?.value ?? 0) >= 1, { what: 'the poll to be waiting' });
      await admin.post(`/api/v1/nodes/${node.nodeId}/revoke`, { reason: 'decommissioned' }).expect(200);
      const res = await waiting;
      expect([res.status, res.body.code]).toEqual([403, 'NODE_REVOKED']);
      const again = await admin.post(`/api/v1/nodes/${node.nodeId}/revoke`, { reason: 'twice' }).expect(409);
      expect(again.body).toMatchObject({ code: 'NODE_ALREADY_REVOKED' });
    });

    it('should refuse a late ack from a replaced node', async () => {
      const store = await make.store(tenant);
      const old = await registerNode(anyone, admin, store.id);
      const commandId = (await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem()] } }).expect(201)).body
        .commandId as string;
      const [envelope] = await pollCommands(old.api, 0);
      await registerNode(anyone, admin, store.id);
      await old.api.post(`/api/v1/commands/${commandId}/ack`, ackOk(envelope!)).expect(403);
    });
  });
});
