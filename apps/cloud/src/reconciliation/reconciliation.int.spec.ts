import type { NestExpressApplication } from '@nestjs/platform-express';
import { commandEnvelopeSchema, type HeartbeatRequest, type KeysResponse } from '@app/contracts';
import { CommandKeyring, verifyCommandSignature } from '@app/crypto';
import { makeMenuItem, waitFor } from '@app/testing';
import { ackFailed, ackOk, CloudApi, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { createCloudApp } from '../app.factory.js';
import { ACK_TIMEOUT_JOB } from '../commands/command-timers.scheduler.js';
import { CommandTimersService } from '../commands/command-timers.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { JobQueues } from '../queues/job-queues.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { RECONCILE_SCHEDULER_ID } from './reconciliation.processor.js';
import { ReconciliationService } from './reconciliation.service.js';

const heartbeat = (menu: number): HeartbeatRequest => ({
  softwareVersion: '1.0.0',
  appliedRevisions: { settings: 0, menu, users: 0, roles: 0 },
  outboxDepth: 0,
  hubSeq: 0,
  cloudCursor: 0,
  edgeReachable: true,
});

describe(ReconciliationService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let tenant: TenantRow;
  let admin: CloudApi;
  let reconciliation: ReconciliationService;
  let keyring: CommandKeyring;

  beforeAll(async () => {
    // A long interval: these tests run passes themselves; the last one checks the schedule.
    cloud = await startCloudTestApp('reconcile', {
      COMMAND_MAX_ATTEMPTS: '2',
      COMMAND_RETRY_BASE_MS: '50',
      COMMAND_ACK_TIMEOUT_SECONDS: '1',
      RECONCILE_INTERVAL_SECONDS: '3600',
    });
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant();
    admin = anyone.as((await make.operatorWithToken(tenant)).token);
    reconciliation = cloud.app.get(ReconciliationService);
    keyring = CommandKeyring.fromPublicKeys(((await anyone.get('/api/v1/keys').expect(200)).body as KeysResponse).signingKeys);
  });

  afterAll(async () => {
    await cloud.close();
  });

  async function storeWithNode(): Promise<{ storeId: string; node: RegisteredNode }> {
    const store = await make.store(tenant);
    return { storeId: store.id, node: await registerNode(anyone, admin, store.id) };
  }

  async function publishMenu(storeId: string, sku: string): Promise<string> {
    return (await admin.post(`/api/v1/stores/${storeId}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem({ sku })] } }).expect(201)).body
      .commandId as string;
  }

  const commandsOf = (storeId: string) => prisma.syncCommand.findMany({ where: { storeId }, orderBy: { seq: 'asc' } });

  describe('reconcileAll', () => {
    it('should send a snapshot of the desired state to a store that drifted, once', async () => {
      const { storeId, node } = await storeWithNode();
      await publishMenu(storeId, 'A');
      await publishMenu(storeId, 'B');
      const [first] = await pollCommands(node.api, 0);
      await node.api.post(`/api/v1/commands/${first!.commandId}/ack`, ackOk(first!)).expect(200);
      const [second] = await pollCommands(node.api, 0);
      await node.api.post(`/api/v1/commands/${second!.commandId}/ack`, ackOk(second!)).expect(200);
      expect(await reconciliation.reconcileAll()).toMatchObject({ repairs: [] });

      // The edge box was restored from an old backup: it reports menu revision 1.
      await node.api.post('/api/v1/nodes/heartbeat', heartbeat(1)).expect(200);
      const report = await reconciliation.reconcileAll();
      const repair = report.repairs.find((r) => r.storeId === storeId);
      expect(repair).toMatchObject({ domain: 'menu', reason: 'drift', revision: 2, superseded: [] });
      expect((await reconciliation.reconcileAll()).repairs.filter((r) => r.storeId === storeId)).toEqual([]);

      const [snapshot] = await pollCommands(node.api, 0);
      expect(snapshot).toMatchObject({ commandId: repair!.snapshotCommandId, type: 'MENU_SNAPSHOT', revision: 2, baseRevision: null, seq: 3 });
      expect(snapshot!.payload).toEqual({ items: [expect.objectContaining({ sku: 'A' }), expect.objectContaining({ sku: 'B' })] });
      expect(commandEnvelopeSchema.safeParse(snapshot).success).toBe(true);
      expect(verifyCommandSignature(snapshot as unknown as Record<string, unknown>, keyring)).toEqual({ ok: true });
      await node.api.post(`/api/v1/commands/${snapshot!.commandId}/ack`, ackOk(snapshot!)).expect(200);
      const view = (await admin.get(`/api/v1/stores/${storeId}`).expect(200)).body;
      expect(view.domains.menu).toMatchObject({ desiredRevision: 2, appliedRevision: 2, drift: false });
      const audit = await prisma.auditLog.findFirstOrThrow({ where: { storeId, action: 'store.reconciled' } });
      expect(audit).toMatchObject({ actorType: 'SYSTEM', details: expect.objectContaining({ reason: 'drift', domain: 'menu', appliedRevision: 1 }) });
    });

    it('should replace a domain blocked by a REVISION_CONFLICT dead letter with a snapshot that supersedes its open commands', async () => {
      const { storeId, node } = await storeWithNode();
      const first = await publishMenu(storeId, 'A');
      const second = await publishMenu(storeId, 'B');
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        await waitFor(async () => (await pollCommands(node.api, 2)).some((c) => c.commandId === first), { timeoutMs: 10_000, what: `delivery ${attempt}` });
        await node.api.post(`/api/v1/commands/${first}/ack`, ackFailed(first, 'REVISION_CONFLICT', 'edge is at 7')).expect(200);
      }
      expect((await commandsOf(storeId)).map((c) => c.status)).toEqual(['DEAD_LETTER', 'PENDING']);

      const repair = (await reconciliation.reconcileAll()).repairs.find((r) => r.storeId === storeId)!;
      expect(repair).toMatchObject({ reason: 'revision-conflict', revision: 2, superseded: [first, second] });
      const rows = await commandsOf(storeId);
      expect(rows.map((c) => [c.status, c.type, c.supersededById])).toEqual([
        ['SUPERSEDED', 'MENU_UPSERT_BATCH', repair.snapshotCommandId],
        ['SUPERSEDED', 'MENU_UPSERT_BATCH', repair.snapshotCommandId],
        ['PENDING', 'MENU_SNAPSHOT', null],
      ]);
      expect(await prisma.syncCommandLog.count({ where: { commandId: { in: [first, second] }, event: 'SUPERSEDED' } })).toBe(2);
      expect((await pollCommands(node.api, 0)).map((c) => c.commandId)).toEqual([repair.snapshotCommandId]);
    });

    it('should replace a command that expired before the store came back, and never deliver it', async () => {
      const { storeId, node } = await storeWithNode();
      const stale = await publishMenu(storeId, 'A');
      await prisma.syncCommand.update({ where: { id: stale }, data: { expiresAt: new Date(Date.now() - 1_000) } });
      expect(await pollCommands(node.api, 0)).toEqual([]);
      const repair = (await reconciliation.reconcileAll()).repairs.find((r) => r.storeId === storeId)!;
      expect(repair).toMatchObject({ reason: 'expired', superseded: [stale] });
      expect((await pollCommands(node.api, 0)).map((c) => [c.commandId, c.type])).toEqual([[repair.snapshotCommandId, 'MENU_SNAPSHOT']]);
    });

    it('should replace a dead letter that a later revision waits behind, whatever its code, with a snapshot superseding both', async () => {
      const { storeId, node } = await storeWithNode();
      const first = await publishMenu(storeId, 'A');
      await waitFor(async () => (await pollCommands(node.api, 2)).some((c) => c.commandId === first), { timeoutMs: 10_000, what: 'delivery' });
      // Published while the first was on its way: a patch queued behind it.
      const second = await publishMenu(storeId, 'B');
      await node.api
        .post(`/api/v1/commands/${first}/ack`, ackFailed(first, 'PAYLOAD_TOO_LARGE', 'edge answered 413 PAYLOAD_TOO_LARGE: request body is too large'))
        .expect(200);
      expect((await commandsOf(storeId)).map((c) => c.status)).toEqual(['DEAD_LETTER', 'PENDING']);

      const repair = (await reconciliation.reconcileAll()).repairs.find((r) => r.storeId === storeId)!;
      expect(repair).toMatchObject({ reason: 'behind-dead-letter', revision: 2, superseded: [first, second] });
      expect((await commandsOf(storeId)).map((c) => [c.status, c.type])).toEqual([
        ['SUPERSEDED', 'MENU_UPSERT_BATCH'],
        ['SUPERSEDED', 'MENU_UPSERT_BATCH'],
        ['PENDING', 'MENU_SNAPSHOT'],
      ]);
      const [snapshot] = await pollCommands(node.api, 0);
      expect(snapshot).toMatchObject({
        commandId: repair.snapshotCommandId,
        revision: 2,
        payload: { items: [expect.objectContaining({ sku: 'A' }), expect.objectContaining({ sku: 'B' })] },
      });
      expect((await reconciliation.reconcileAll()).repairs.filter((r) => r.storeId === storeId)).toEqual([]);
    });

    it('should leave other dead letters to support', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId, 'A');
      await pollCommands(node.api, 0);
      await node.api.post(`/api/v1/commands/${commandId}/ack`, ackFailed(commandId, 'SIGNATURE_INVALID')).expect(200);
      expect((await reconciliation.reconcileAll()).repairs.filter((r) => r.storeId === storeId)).toEqual([]);
      expect(await prisma.syncCommand.count({ where: { storeId } })).toBe(1);
    });

    it('should arm again an ack timeout that was lost', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId, 'A');
      await pollCommands(node.api, 0);
      // A crash between committing the delivery and arming its timer: the job never existed.
      const queue = cloud.app.get(JobQueues).queue('command-timers');
      const delayed = await queue.getDelayed();
      const job = delayed.find((j) => j.name === ACK_TIMEOUT_JOB && (j.data as { commandId: string }).commandId === commandId)!;
      await job.remove();
      const deadline = (await prisma.syncCommand.findUniqueOrThrow({ where: { id: commandId } })).ackDeadlineAt!.getTime();
      await waitFor(() => Date.now() > deadline + 300, { what: 'the ack deadline to pass' });
      expect(await prisma.syncCommand.findUniqueOrThrow({ where: { id: commandId } })).toMatchObject({ status: 'DELIVERED' });
      // The sweep of a reconciliation pass (here without its grace period).
      const rearmed = await cloud.app.get(CommandTimersService).rearmLost(new Date(), 500, 0);
      expect(rearmed.ackTimeouts).toBeGreaterThanOrEqual(1);
      await waitFor(async () => (await prisma.syncCommand.findUniqueOrThrow({ where: { id: commandId } })).status === 'FAILED', {
        timeoutMs: 10_000,
        what: 'the re-armed timeout',
      });
      expect(await prisma.syncCommandLog.count({ where: { commandId, event: 'ACK_TIMEOUT' } })).toBe(1);
    });
  });

  describe('the schedule', () => {
    it('should run once per interval whatever the number of replicas, and repair without being asked', async () => {
      const fast = await startCloudTestApp('reconcile-sched', { RECONCILE_INTERVAL_SECONDS: '1' });
      let replica: NestExpressApplication | undefined;
      try {
        replica = await createCloudApp(fast.config);
        await replica.init();
        const queue = fast.app.get(JobQueues).queue('reconciliation');
        await waitFor(async () => (await queue.getJobSchedulers()).length >= 1, { what: 'the reconcile schedule' });
        expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([RECONCILE_SCHEDULER_ID]);

        const api = new CloudApi(fast.server);
        const fastMake = new CloudFactories(fast.app);
        const owner = await fastMake.tenant();
        const boss = api.as((await fastMake.operatorWithToken(owner)).token);
        const store = await fastMake.store(owner);
        const node = await registerNode(api, boss, store.id);
        await boss.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem()] } }).expect(201);
        const [command] = await pollCommands(node.api, 0);
        await node.api.post(`/api/v1/commands/${command!.commandId}/ack`, ackOk(command!)).expect(200);
        await node.api.post('/api/v1/nodes/heartbeat', heartbeat(0)).expect(200);

        const fastPrisma = fast.app.get(PrismaService);
        await waitFor(async () => (await fastPrisma.syncCommand.count({ where: { storeId: store.id, type: 'MENU_SNAPSHOT' } })) === 1, {
          timeoutMs: 15_000,
          what: 'a scheduled repair',
        });
        // Passes keep running on both replicas; the open snapshot is never doubled.
        const done = await queue.getCompletedCount();
        await waitFor(async () => (await queue.getCompletedCount()) >= done + 2, { timeoutMs: 15_000, what: 'two more passes' });
        expect(await fastPrisma.syncCommand.count({ where: { storeId: store.id, type: 'MENU_SNAPSHOT' } })).toBe(1);
        expect(await fastPrisma.auditLog.count({ where: { storeId: store.id, action: 'store.reconciled' } })).toBe(1);
      } finally {
        await replica?.close();
        await fast.close();
      }
    });
  });
});
