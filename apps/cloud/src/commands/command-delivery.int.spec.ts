import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { SYNC_DOMAINS, type CommandEnvelope, type SyncDomain } from '@app/contracts';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';
import { makeMenuItem, makeStoreRole, makeStoreUser, waitFor } from '@app/testing';
import { ackOk, CloudApi, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { CommandDeliveryService } from './command-delivery.service.js';

const PAYLOADS: Record<SyncDomain, (n: number) => Record<string, unknown>> = {
  settings: (n) => ({ values: { 'receipt.footer': `thanks ${n}` } }),
  menu: (n) => ({ items: [makeMenuItem({ priceCents: 1000 + n })] }),
  users: (n) => ({ users: [makeStoreUser({ displayName: `User ${n}` })] }),
  roles: (n) => ({ roles: [makeStoreRole({ name: `Role ${n}` })] }),
};

describe(CommandDeliveryService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let tenant: TenantRow;
  let admin: CloudApi;
  let port: number;

  beforeAll(async () => {
    cloud = await startCloudTestApp('delivery');
    await cloud.app.listen(0, '127.0.0.1');
    port = (cloud.app.getHttpServer().address() as AddressInfo).port;
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant();
    admin = anyone.as((await make.operatorWithToken(tenant)).token);
  });

  afterAll(async () => {
    await cloud.close();
  });

  async function storeWithNode(): Promise<{ storeId: string; node: RegisteredNode }> {
    const store = await make.store(tenant);
    return { storeId: store.id, node: await registerNode(anyone, admin, store.id) };
  }

  async function publish(storeId: string, domain: SyncDomain, n = 1): Promise<string> {
    return (await admin.post(`/api/v1/stores/${storeId}/revisions`, { domain, payload: PAYLOADS[domain](n) }).expect(201)).body.commandId as string;
  }

  const waiters = async () => (await cloud.app.get(CloudMetrics).longPollWaiters.get()).values[0]?.value ?? 0;

  describe('poll', () => {
    it('should answer at once with nothing when nothing is deliverable and wait is 0', async () => {
      const { node } = await storeWithNode();
      expect(await pollCommands(node.api, 0)).toEqual([]);
    });

    it('should hold a long-poll open and answer it as soon as a command is published', async () => {
      const { storeId, node } = await storeWithNode();
      const started = Date.now();
      const polled = pollCommands(node.api, 20);
      await waitFor(async () => (await waiters()) >= 1, { what: 'the poll to be waiting' });
      const commandId = await publish(storeId, 'menu');
      const commands = await polled;
      expect(commands.map((c) => c.commandId)).toEqual([commandId]);
      // Woken by the publish, not by the end of its 20 s wait.
      expect(Date.now() - started).toBeLessThan(15_000);
    });

    it("should deliver a command whose claim ran while the node's own row was locked (its heartbeat), without waiting out the poll", async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publish(storeId, 'menu');
      // A heartbeat's transaction holds the node's row; the claim's SKIP LOCKED passes the command over.
      const heartbeat = await mysql.createConnection(connectionOptions(parseMysqlUrl(cloud.db.url)));
      try {
        await heartbeat.query('START TRANSACTION');
        await heartbeat.query('UPDATE StoreNode SET lastSeenAt = NOW(3) WHERE id = ?', [node.nodeId]);
        const started = Date.now();
        const polled = pollCommands(node.api, 20);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await heartbeat.query('COMMIT');
        expect((await polled).map((c) => c.commandId)).toEqual([commandId]);
        // Claimed again once the lock went, not at the end of its 20 s wait.
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await heartbeat.end();
      }
    });

    it('should answer a long-poll with nothing when its wait ends', async () => {
      const { node } = await storeWithNode();
      const started = Date.now();
      expect(await pollCommands(node.api, 1)).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('should deliver domains independently but never a later revision of a domain before an earlier one', async () => {
      const { storeId, node } = await storeWithNode();
      const menu1 = await publish(storeId, 'menu', 1);
      const menu2 = await publish(storeId, 'menu', 2);
      const settings1 = await publish(storeId, 'settings', 1);
      const first = await pollCommands(node.api, 0);
      expect(first.map((c) => [c.commandId, c.seq])).toEqual([
        [menu1, 1],
        [settings1, 3],
      ]);
      expect(await pollCommands(node.api, 0)).toEqual([]);

      const next = pollCommands(node.api, 20);
      await waitFor(async () => (await waiters()) >= 1, { what: 'the poll to be waiting' });
      // Acking menu revision 1 makes revision 2 deliverable and wakes the poll.
      await node.api.post(`/api/v1/commands/${menu1}/ack`, ackOk(first[0]!)).expect(200);
      expect((await next).map((c) => [c.commandId, c.revision, c.baseRevision])).toEqual([[menu2, 2, 1]]);
    });

    it('should hand each command to exactly one of many concurrent polls', async () => {
      const stores = await Promise.all([1, 2, 3].map(() => storeWithNode()));
      const published = new Set<string>();
      for (const { storeId } of stores) for (const domain of SYNC_DOMAINS) published.add(await publish(storeId, domain));
      const results = await Promise.all(stores.flatMap(({ node }) => Array.from({ length: 6 }, () => pollCommands(node.api, 0))));
      const delivered = results.flat().map((c) => c.commandId);
      expect(delivered.sort()).toEqual([...published].sort());
      const rows = await prisma.syncCommand.findMany({ where: { id: { in: [...published] } } });
      expect(rows.every((r) => r.status === 'DELIVERED' && r.attempts === 1)).toBe(true);
      expect(await prisma.syncCommandLog.count({ where: { commandId: { in: [...published] }, event: 'DELIVERED' } })).toBe(published.size);
    });

    it('should wake concurrent long-polls of one store and deliver each command once', async () => {
      const { storeId, node } = await storeWithNode();
      const polls = Array.from({ length: 5 }, () => pollCommands(node.api, 2));
      await waitFor(async () => (await waiters()) >= 5, { what: 'five waiting polls' });
      const published = await Promise.all(SYNC_DOMAINS.map((d) => publish(storeId, d)));
      const collected: CommandEnvelope[] = (await Promise.all(polls)).flat();
      // Polls that were woken after the others took everything wait on; a last poll sweeps up.
      collected.push(...(await pollCommands(node.api, 0)));
      expect(collected.map((c) => c.commandId).sort()).toEqual([...published].sort());
    });

    it('should not hand a command to a poll whose client has gone away', async () => {
      const { storeId, node } = await storeWithNode();
      const request = http.get({ host: '127.0.0.1', port, path: '/api/v1/nodes/commands?wait=20', headers: { authorization: `Bearer ${node.accessToken}` } });
      request.on('error', () => undefined);
      await waitFor(async () => (await waiters()) >= 1, { what: 'the poll to be waiting' });
      request.destroy();
      await waitFor(async () => (await waiters()) === 0, { what: 'the abandoned poll to end' });
      const commandId = await publish(storeId, 'menu');
      expect(await prisma.syncCommand.findUniqueOrThrow({ where: { id: commandId } })).toMatchObject({ status: 'PENDING', attempts: 0 });
      expect((await pollCommands(node.api, 0)).map((c) => c.commandId)).toEqual([commandId]);
    });

    it('should refuse a wait beyond 30 seconds, naming the field', async () => {
      const { node } = await storeWithNode();
      const res = await node.api.get('/api/v1/nodes/commands?wait=31').expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path: 'wait' })] } });
    });
  });
});
