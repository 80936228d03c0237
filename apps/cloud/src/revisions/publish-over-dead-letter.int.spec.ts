import { commandEnvelopeSchema, type CommandEnvelope, type CommandListResponse, type KeysResponse } from '@app/contracts';
import { CommandKeyring, verifyCommandSignature } from '@app/crypto';
import { makeMenuItem, makeStoreUser, waitFor } from '@app/testing';
import { ackFailed, ackOk, CloudApi, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { RevisionsService } from './revisions.service.js';

/**
 * Finding 6 of issue 13: a dead-lettered command kept every later revision of its domain PENDING
 * behind it for good. A later publish now supersedes it with a snapshot of the new state.
 */
describe(`${RevisionsService.name} over a dead letter`, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let tenant: TenantRow;
  let admin: CloudApi;
  let keyring: CommandKeyring;

  beforeAll(async () => {
    cloud = await startCloudTestApp('publish-dead-letter', { COMMAND_ACK_TIMEOUT_SECONDS: '30', RECONCILE_INTERVAL_SECONDS: '3600' });
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant({ name: 'Harbour Side Hospitality Group' });
    admin = anyone.as((await make.operatorWithToken(tenant)).token);
    keyring = CommandKeyring.fromPublicKeys(((await anyone.get('/api/v1/keys').expect(200)).body as KeysResponse).signingKeys);
  });

  afterAll(async () => {
    await cloud.close();
  });

  async function storeWithNode(): Promise<{ storeId: string; node: RegisteredNode }> {
    const store = await make.store(tenant, { name: 'Harbour Side Kitchen & Bar — Pier 39 concourse' });
    return { storeId: store.id, node: await registerNode(anyone, admin, store.id) };
  }

  const publish = async (storeId: string, domain: string, payload: unknown) =>
    (await admin.post(`/api/v1/stores/${storeId}/revisions`, { domain, payload }).expect(201)).body as { revision: number; commandId: string };
  const publishMenu = (storeId: string, sku: string) =>
    publish(storeId, 'menu', { items: [makeMenuItem({ sku, name: `Item ${sku} with a long descriptive name` })] });
  const statuses = async (storeId: string) =>
    (await prisma.syncCommand.findMany({ where: { storeId }, orderBy: { seq: 'asc' } })).map((c) => [c.type, c.status]);

  async function deliverAndFail(node: RegisteredNode, commandId: string, code: string): Promise<void> {
    await waitFor(async () => (await pollCommands(node.api, 2)).some((c) => c.commandId === commandId), {
      timeoutMs: 10_000,
      what: `delivery of ${commandId}`,
    });
    await node.api.post(`/api/v1/commands/${commandId}/ack`, ackFailed(commandId, code, `the hub refused it (${code})`)).expect(200);
  }

  describe('publish', () => {
    it('should send the next revision as a snapshot of its state that supersedes the dead letter, and deliver it', async () => {
      const { storeId, node } = await storeWithNode();
      const first = await publishMenu(storeId, 'BURGER-1');
      await deliverAndFail(node, first.commandId, 'PAYLOAD_TOO_LARGE');
      expect(await statuses(storeId)).toEqual([['MENU_UPSERT_BATCH', 'DEAD_LETTER']]);

      const second = await publishMenu(storeId, 'FRIES-2');
      expect(second.revision).toBe(2);
      const rows = await prisma.syncCommand.findMany({ where: { storeId }, orderBy: { seq: 'asc' } });
      expect(rows.map((c) => [c.id, c.type, c.status, c.revision, c.baseRevision, c.supersededById])).toEqual([
        [first.commandId, 'MENU_UPSERT_BATCH', 'SUPERSEDED', 1, 0, second.commandId],
        [second.commandId, 'MENU_SNAPSHOT', 'PENDING', 2, null, null],
      ]);
      // The revision keeps the operator's change; the command carries the whole state it leads to.
      const revision = await prisma.syncRevision.findFirstOrThrow({ where: { storeId, domain: 'menu', revision: 2 } });
      expect(revision).toMatchObject({ commandType: 'MENU_UPSERT_BATCH', payload: { items: [expect.objectContaining({ sku: 'FRIES-2' })] } });
      expect(rows[1]!.payload).toEqual(revision.state);
      expect(await prisma.syncCommandLog.findMany({ where: { commandId: first.commandId, event: 'SUPERSEDED' } })).toEqual([
        expect.objectContaining({ fromStatus: 'DEAD_LETTER', toStatus: 'SUPERSEDED', actorType: 'OPERATOR' }),
      ]);
      expect(await prisma.auditLog.findFirstOrThrow({ where: { storeId, action: 'command.superseded', targetId: first.commandId } })).toMatchObject({
        details: expect.objectContaining({ supersededById: second.commandId, fromStatus: 'DEAD_LETTER' }),
      });
      expect(await prisma.auditLog.findFirstOrThrow({ where: { storeId, action: 'revision.published', targetId: revision.id } })).toMatchObject({
        details: expect.objectContaining({
          type: 'MENU_SNAPSHOT',
          baseRevision: null,
          supersededDeadLetter: { commandId: first.commandId, errorCode: 'PAYLOAD_TOO_LARGE' },
        }),
      });

      const [snapshot] = await pollCommands(node.api, 0);
      expect(snapshot).toMatchObject({ commandId: second.commandId, type: 'MENU_SNAPSHOT', revision: 2, baseRevision: null });
      expect(snapshot!.payload).toEqual({ items: [expect.objectContaining({ sku: 'BURGER-1' }), expect.objectContaining({ sku: 'FRIES-2' })] });
      expect(commandEnvelopeSchema.safeParse(snapshot).success).toBe(true);
      expect(verifyCommandSignature(snapshot as unknown as Record<string, unknown>, keyring)).toEqual({ ok: true });
      await node.api.post(`/api/v1/commands/${second.commandId}/ack`, ackOk(snapshot!)).expect(200);
      expect((await admin.get(`/api/v1/stores/${storeId}`).expect(200)).body.domains.menu).toMatchObject({
        desiredRevision: 2,
        appliedRevision: 2,
        drift: false,
      });

      // Once the domain moves again, publishes are patches as before.
      const third = await publishMenu(storeId, 'SHAKE-3');
      expect(await prisma.syncCommand.findUniqueOrThrow({ where: { id: third.commandId } })).toMatchObject({ type: 'MENU_UPSERT_BATCH', baseRevision: 2 });
    });

    it('should supersede the commands queued behind the dead letter too, and leave other domains alone', async () => {
      const { storeId, node } = await storeWithNode();
      const first = await publishMenu(storeId, 'A-1');
      const settings = await publish(storeId, 'settings', { values: { 'receipt.footer': 'Thank you for dining at Harbour Side' } });
      // Delivered before the next one is published, so that one is queued behind it as a patch.
      await waitFor(async () => (await pollCommands(node.api, 2)).some((c) => c.commandId === first.commandId), { timeoutMs: 10_000, what: 'delivery' });
      const queued = await publishMenu(storeId, 'B-2');
      await node.api
        .post(`/api/v1/commands/${first.commandId}/ack`, ackFailed(first.commandId, 'INVALID_PAYLOAD', 'edge refused items[0].station'))
        .expect(200);

      // Support is told why the queued one waits.
      const listed = (await admin.get(`/api/v1/stores/${storeId}/commands`).expect(200)).body as CommandListResponse;
      const view = (id: string) => listed.commands.find((c) => c.commandId === id)!;
      expect(view(queued.commandId).blockedBy).toEqual({ commandId: first.commandId, seq: 1, errorCode: 'INVALID_PAYLOAD' });
      expect([view(first.commandId).blockedBy, view(settings.commandId).blockedBy]).toEqual([null, null]);
      expect((await admin.get(`/api/v1/commands/${queued.commandId}`).expect(200)).body.blockedBy).toEqual({
        commandId: first.commandId,
        seq: 1,
        errorCode: 'INVALID_PAYLOAD',
      });

      const third = await publishMenu(storeId, 'C-3');
      expect(await statuses(storeId)).toEqual([
        ['MENU_UPSERT_BATCH', 'SUPERSEDED'],
        ['SETTINGS_PATCH', expect.stringMatching(/^(PENDING|DELIVERED)$/)],
        ['MENU_UPSERT_BATCH', 'SUPERSEDED'],
        ['MENU_SNAPSHOT', 'PENDING'],
      ]);
      const snapshot = await waitFor(async () => (await pollCommands(node.api, 2)).find((c: CommandEnvelope) => c.commandId === third.commandId), {
        timeoutMs: 10_000,
        what: 'the snapshot',
      });
      expect(snapshot.payload).toEqual({ items: ['A-1', 'B-2', 'C-3'].map((sku) => expect.objectContaining({ sku })) });
      const after = (await admin.get(`/api/v1/stores/${storeId}/commands`).expect(200)).body as CommandListResponse;
      expect(after.commands.map((c) => c.blockedBy)).toEqual([null, null, null, null]);
    });

    it("should carry the users' PIN hashes in the snapshot, as a patch would", async () => {
      const { storeId, node } = await storeWithNode();
      const first = await publish(storeId, 'users', { users: [{ ...makeStoreUser({ userId: 'u-ana', displayName: 'Ana Lucía Fernández' }), pin: '4821' }] });
      await deliverAndFail(node, first.commandId, 'INVALID_PAYLOAD');
      const second = await publish(storeId, 'users', { users: [{ ...makeStoreUser({ userId: 'u-bo', displayName: 'Bo Chen' }), pin: '9034' }] });
      const snapshot = await waitFor(async () => (await pollCommands(node.api, 2)).find((c) => c.commandId === second.commandId), {
        timeoutMs: 10_000,
        what: 'the snapshot',
      });
      expect(snapshot.type).toBe('USERS_SNAPSHOT');
      const users = (snapshot.payload as { users: { userId: string; pinHash?: string }[] }).users;
      expect(users.map((u) => [u.userId, typeof u.pinHash])).toEqual([
        ['u-ana', 'string'],
        ['u-bo', 'string'],
      ]);
    });

    it('should supersede the dead letters of every store of a fleet publish, and only those', async () => {
      const [dead, healthy] = [await storeWithNode(), await storeWithNode()];
      const first = await publishMenu(dead.storeId, 'LOCAL-1');
      await deliverAndFail(dead.node, first.commandId, 'PAYLOAD_TOO_LARGE');
      const fleet = await admin
        .post('/api/v1/revisions', { storeIds: [dead.storeId, healthy.storeId], domain: 'menu', payload: { items: [makeMenuItem({ sku: 'CHAIN-1' })] } })
        .expect(201);
      const byStore = new Map((fleet.body.revisions as { storeId: string; commandId: string }[]).map((r) => [r.storeId, r.commandId]));
      expect(await prisma.syncCommand.findUniqueOrThrow({ where: { id: byStore.get(dead.storeId)! } })).toMatchObject({
        type: 'MENU_SNAPSHOT',
        baseRevision: null,
        revision: 2,
      });
      expect(await prisma.syncCommand.findUniqueOrThrow({ where: { id: byStore.get(healthy.storeId)! } })).toMatchObject({
        type: 'MENU_UPSERT_BATCH',
        baseRevision: 0,
        revision: 1,
      });
      expect(await prisma.syncCommand.findUniqueOrThrow({ where: { id: first.commandId } })).toMatchObject({
        status: 'SUPERSEDED',
        supersededById: byStore.get(dead.storeId),
      });
    });
  });
});
