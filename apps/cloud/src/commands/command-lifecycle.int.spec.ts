import { commandEnvelopeSchema, type CommandEnvelope, type KeysResponse } from '@app/contracts';
import { CommandKeyring, verifyCommandSignature } from '@app/crypto';
import { backoffDelayMs } from '@app/sync';
import { makeMenuItem, waitFor } from '@app/testing';
import { ackFailed, ackOk, CloudApi, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { CommandTransitions } from './command-transitions.service.js';

const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 5_000;
const MAX_ATTEMPTS = 4;

describe(CommandTransitions.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let tenant: TenantRow;
  let admin: CloudApi;
  let support: CloudApi;
  let supportEmail: string;
  let adminEmail: string;
  let keyring: CommandKeyring;

  beforeAll(async () => {
    cloud = await startCloudTestApp('command-life', {
      COMMAND_ACK_TIMEOUT_SECONDS: '1',
      COMMAND_RETRY_BASE_MS: String(RETRY_BASE_MS),
      COMMAND_RETRY_MAX_MS: String(RETRY_MAX_MS),
      COMMAND_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    });
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant();
    const administrator = await make.operatorWithToken(tenant, 'ADMIN');
    adminEmail = administrator.email;
    admin = anyone.as(administrator.token);
    const supporter = await make.operatorWithToken(tenant, 'SUPPORT');
    supportEmail = supporter.email;
    support = anyone.as(supporter.token);
    keyring = CommandKeyring.fromPublicKeys(((await anyone.get('/api/v1/keys').expect(200)).body as KeysResponse).signingKeys);
  });

  afterAll(async () => {
    await cloud.close();
  });

  /** A fresh store with a registered node, so tests do not share command queues. */
  async function storeWithNode(): Promise<{ storeId: string; node: RegisteredNode }> {
    const store = await make.store(tenant);
    return { storeId: store.id, node: await registerNode(anyone, admin, store.id) };
  }

  async function publishMenu(storeId: string, sku = 'BURGER-1', priceCents = 1150): Promise<string> {
    const res = await admin
      .post(`/api/v1/stores/${storeId}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem({ sku, priceCents })] } })
      .expect(201);
    return res.body.commandId as string;
  }

  async function timerRuns(timer: string, outcome: string): Promise<number> {
    const metric = await cloud.app.get(CloudMetrics).commandTimers.get();
    return metric.values.find((v) => v.labels.timer === timer && v.labels.outcome === outcome)?.value ?? 0;
  }

  const command = (id: string) => prisma.syncCommand.findUniqueOrThrow({ where: { id } });
  const logs = (id: string) => prisma.syncCommandLog.findMany({ where: { commandId: id }, orderBy: { id: 'asc' } });

  /** Long-polls until this command is delivered (bounded by the poll waits). */
  async function deliver(node: RegisteredNode, commandId: string): Promise<CommandEnvelope> {
    return waitFor(
      async () => {
        const commands = await pollCommands(node.api, 3);
        return commands.find((c) => c.commandId === commandId);
      },
      { timeoutMs: 15_000, what: `delivery of ${commandId}` },
    );
  }

  describe('apply', () => {
    it('should deliver a published command signed and valid, and record its ack', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      const [envelope] = await pollCommands(node.api, 0);
      expect(envelope).toMatchObject({
        commandId,
        storeId,
        tenantId: tenant.id,
        seq: 1,
        domain: 'menu',
        type: 'MENU_UPSERT_BATCH',
        revision: 1,
        baseRevision: 0,
      });
      expect(commandEnvelopeSchema.safeParse(envelope).success).toBe(true);
      expect(verifyCommandSignature(envelope as unknown as Record<string, unknown>, keyring)).toEqual({ ok: true });

      const ack = await node.api.post(`/api/v1/commands/${commandId}/ack`, ackOk(envelope!)).expect(200);
      expect(ack.body).toEqual({ commandId, status: 'ACKED', changed: true });
      expect(await command(commandId)).toMatchObject({ status: 'ACKED', attempts: 1, appliedRevision: 1 });
      expect((await logs(commandId)).map((l) => [l.fromStatus, l.toStatus, l.event, l.actorType])).toEqual([
        [null, 'PENDING', 'PUBLISHED', 'OPERATOR'],
        ['PENDING', 'DELIVERED', 'DELIVERED', 'NODE'],
        ['DELIVERED', 'ACKED', 'ACKED', 'NODE'],
      ]);
      const state = await prisma.storeDomainState.findUniqueOrThrow({ where: { storeId_domain: { storeId, domain: 'menu' } } });
      expect(state).toMatchObject({ desiredRevision: 1, appliedRevision: 1 });
      expect(await prisma.auditLog.count({ where: { targetId: commandId, action: 'command.acked' } })).toBe(1);

      // The agent resends its ack (a network blip): nothing changes, nothing is logged twice.
      const again = await node.api.post(`/api/v1/commands/${commandId}/ack`, ackOk(envelope!)).expect(200);
      expect(again.body).toEqual({ commandId, status: 'ACKED', changed: false });
      expect(await logs(commandId)).toHaveLength(3);
    });

    it('should retry a retryable failure with growing delays, then dead-letter it after the last attempt', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const envelope = await deliver(node, commandId);
        expect(envelope.commandId).toBe(commandId);
        await node.api.post(`/api/v1/commands/${commandId}/ack`, ackFailed(commandId, 'EDGE_UNAVAILABLE', `edge down (attempt ${attempt})`)).expect(200);
      }
      expect(await command(commandId)).toMatchObject({
        status: 'DEAD_LETTER',
        attempts: MAX_ATTEMPTS,
        lastErrorCode: 'EDGE_UNAVAILABLE',
        lastErrorDetail: `edge down (attempt ${MAX_ATTEMPTS})`,
      });

      const history = await logs(commandId);
      expect(history.map((l) => `${l.event}:${l.toStatus}:${l.attempt}`)).toEqual([
        'PUBLISHED:PENDING:0',
        'DELIVERED:DELIVERED:1',
        'ACK_FAILED:FAILED:1',
        'RETRY_DUE:PENDING:1',
        'DELIVERED:DELIVERED:2',
        'ACK_FAILED:FAILED:2',
        'RETRY_DUE:PENDING:2',
        'DELIVERED:DELIVERED:3',
        'ACK_FAILED:FAILED:3',
        'RETRY_DUE:PENDING:3',
        'DELIVERED:DELIVERED:4',
        'ACK_FAILED:DEAD_LETTER:4',
      ]);
      // The delay chosen at each failure (audited as nextAttemptAt) lies in its backoff band, each
      // band above the last; the retry timer never fires before it.
      const failures = await prisma.auditLog.findMany({ where: { targetId: commandId, action: 'command.failed' }, orderBy: { id: 'asc' } });
      const failedLogs = history.filter((l) => l.toStatus === 'FAILED');
      const dueLogs = history.filter((l) => l.event === 'RETRY_DUE');
      const delays = failures.map((f, i) => Date.parse((f.details as { nextAttemptAt: string }).nextAttemptAt) - failedLogs[i]!.createdAt.getTime());
      delays.forEach((delay, i) => {
        const policy = { baseMs: RETRY_BASE_MS, maxMs: RETRY_MAX_MS };
        expect(delay).toBeGreaterThanOrEqual(backoffDelayMs(i + 1, policy, () => 0));
        expect(delay).toBeLessThanOrEqual(backoffDelayMs(i + 1, policy, () => 1));
        expect(dueLogs[i]!.createdAt.getTime()).toBeGreaterThanOrEqual(Date.parse((failures[i]!.details as { nextAttemptAt: string }).nextAttemptAt));
      });
      expect(delays[2]!).toBeGreaterThan(delays[0]!);
      expect(delays[1]!).toBeGreaterThanOrEqual(delays[0]!);
      expect(delays[2]!).toBeGreaterThanOrEqual(delays[1]!);
      expect(await prisma.auditLog.count({ where: { targetId: commandId, action: 'command.dead_lettered' } })).toBe(1);
    });

    it('should time out a delivered command from its delivery, not its creation, and deliver it again', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      // The store is offline for a while: no attempt is burned.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await command(commandId)).toMatchObject({ status: 'PENDING', attempts: 0 });

      await deliver(node, commandId);
      const failed = await waitFor(async () => ((await command(commandId)).status === 'FAILED' ? command(commandId) : undefined), {
        timeoutMs: 10_000,
        what: 'the ack timeout',
      });
      expect(failed).toMatchObject({ attempts: 1, lastErrorCode: 'ACK_TIMEOUT' });
      const history = await logs(commandId);
      const delivered = history.find((l) => l.event === 'DELIVERED')!;
      const timedOut = history.find((l) => l.event === 'ACK_TIMEOUT')!;
      expect(timedOut).toMatchObject({ fromStatus: 'DELIVERED', toStatus: 'FAILED', errorCode: 'ACK_TIMEOUT', actorType: 'SYSTEM' });
      expect(timedOut.createdAt.getTime() - delivered.createdAt.getTime()).toBeGreaterThanOrEqual(1_000);

      const again = await deliver(node, commandId);
      await node.api.post(`/api/v1/commands/${commandId}/ack`, ackOk(again)).expect(200);
      expect(await command(commandId)).toMatchObject({ status: 'ACKED', attempts: 2 });
    });

    it('should accept a success that arrives after the ack timeout', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      const envelope = await deliver(node, commandId);
      await waitFor(async () => (await command(commandId)).status === 'FAILED', { timeoutMs: 10_000, what: 'the ack timeout' });
      const staleBefore = await timerRuns('retry-due', 'stale');
      const res = await node.api.post(`/api/v1/commands/${commandId}/ack`, ackOk(envelope)).expect(200);
      expect(res.body).toEqual({ commandId, status: 'ACKED', changed: true });
      // The retry timer armed by the timeout fires, finds the command done and changes nothing.
      await waitFor(async () => (await timerRuns('retry-due', 'stale')) > staleBefore, { timeoutMs: 10_000, what: 'the stale retry timer' });
      expect(await command(commandId)).toMatchObject({ status: 'ACKED' });
      expect((await logs(commandId)).at(-1)).toMatchObject({ event: 'ACKED', fromStatus: 'FAILED' });
    });

    it.each(['SIGNATURE_INVALID', 'PAYLOAD_TOO_LARGE'] as const)('should dead-letter at once on the final error code %s', async (code) => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      await deliver(node, commandId);
      const res = await node.api.post(`/api/v1/commands/${commandId}/ack`, ackFailed(commandId, code)).expect(200);
      expect(res.body).toEqual({ commandId, status: 'DEAD_LETTER', changed: true });
      expect(await command(commandId)).toMatchObject({ status: 'DEAD_LETTER', attempts: 1, lastErrorCode: code });
    });

    it('should let support retry a dead-lettered command, audited with the reason, and deliver it until acked', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      await deliver(node, commandId);
      await node.api.post(`/api/v1/commands/${commandId}/ack`, ackFailed(commandId, 'INVALID_PAYLOAD')).expect(200);

      const retried = await support.post(`/api/v1/commands/${commandId}/retry`, { reason: 'edge fixed in 1.0.1' }).expect(200);
      expect(retried.body).toMatchObject({ commandId, status: 'PENDING', attempts: 0, lastErrorCode: 'INVALID_PAYLOAD' });
      const entry = (await support.get(`/api/v1/audit?storeId=${storeId}&limit=200`).expect(200)).body.entries.find(
        (e: { action: string; targetId: string }) => e.action === 'command.retried' && e.targetId === commandId,
      );
      expect(entry).toMatchObject({ actorType: 'OPERATOR', actorLabel: supportEmail, details: { reason: 'edge fixed in 1.0.1', fromStatus: 'DEAD_LETTER' } });

      const envelope = await deliver(node, commandId);
      await node.api.post(`/api/v1/commands/${commandId}/ack`, ackOk(envelope)).expect(200);
      const detail = (await support.get(`/api/v1/commands/${commandId}`).expect(200)).body;
      expect(detail).toMatchObject({ status: 'ACKED', attempts: 1 });
      // Operators are named by email, as in the audit log; the node by its id only.
      expect(detail.logs.map((l: { event: string; actorType: string; actorLabel: string | null }) => [l.event, l.actorType, l.actorLabel])).toEqual([
        ['PUBLISHED', 'OPERATOR', adminEmail],
        ['DELIVERED', 'NODE', null],
        ['ACK_FAILED', 'NODE', null],
        ['MANUAL_RETRY', 'OPERATOR', supportEmail],
        ['DELIVERED', 'NODE', null],
        ['ACKED', 'NODE', null],
      ]);
      expect(detail.logs.filter((l: { actorType: string }) => l.actorType === 'NODE').every((l: { actorId: string }) => l.actorId === node.nodeId)).toBe(true);

      const refused = await support.post(`/api/v1/commands/${commandId}/retry`, {}).expect(409);
      expect(refused.body).toMatchObject({ code: 'COMMAND_NOT_RETRYABLE' });
    });

    it('should name no operator from outside the tenant, nor one it does not know, and keep their ids', async () => {
      const { storeId } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      const stranger = await make.operator(await make.tenant(), { email: `stranger-${commandId}@other-tenant.example` });
      const unknownId = '01900000-0000-7000-8000-00000000beef';
      const at = new Date();
      for (const actorId of [stranger.id, unknownId]) {
        await prisma.syncCommandLog.create({
          data: {
            commandId,
            tenantId: tenant.id,
            fromStatus: 'PENDING',
            toStatus: 'PENDING',
            event: 'MANUAL_RETRY',
            attempt: 0,
            actorType: 'OPERATOR',
            actorId,
            createdAt: at,
          },
        });
      }
      const detail = (await support.get(`/api/v1/commands/${commandId}`).expect(200)).body;
      expect(detail.logs.map((l: { actorId: string; actorLabel: string | null }) => [l.actorId, l.actorLabel])).toEqual([
        [expect.any(String), adminEmail],
        [stranger.id, null],
        [unknownId, null],
      ]);
    });

    it('should re-sign a retried command that is about to expire', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      await deliver(node, commandId);
      await node.api.post(`/api/v1/commands/${commandId}/ack`, ackFailed(commandId, 'EXPIRED')).expect(200);
      const before = await prisma.syncCommand.update({ where: { id: commandId }, data: { expiresAt: new Date(Date.now() + 3_600_000) } });
      await support.post(`/api/v1/commands/${commandId}/retry`, { reason: 'store was closed for a week' }).expect(200);
      const after = await command(commandId);
      expect(after.signature).not.toBe(before.signature);
      expect(after.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3_600_000);
      const envelope = await deliver(node, commandId);
      expect(verifyCommandSignature(envelope as unknown as Record<string, unknown>, keyring)).toEqual({ ok: true });
      expect(envelope.expiresAt).toBe(after.expiresAt.toISOString());
    });

    it('should retry several commands at once and report the ones it could not retry', async () => {
      const { storeId, node } = await storeWithNode();
      const first = await publishMenu(storeId, 'A-1');
      await deliver(node, first);
      await node.api.post(`/api/v1/commands/${first}/ack`, ackFailed(first, 'WRONG_STORE')).expect(200);
      const settings = (await admin.post(`/api/v1/stores/${storeId}/revisions`, { domain: 'settings', payload: { values: { 'store.name': 'x' } } }).expect(201))
        .body.commandId as string;
      const envelope = await deliver(node, settings);
      await node.api.post(`/api/v1/commands/${settings}/ack`, ackOk(envelope)).expect(200);
      const unknown = '01900000-0000-7000-8000-000000000000';

      const res = await support.post('/api/v1/commands/retry', { commandIds: [first, settings, unknown, first], reason: 'bulk' }).expect(200);
      expect(res.body.retried.map((c: { commandId: string; status: string }) => [c.commandId, c.status])).toEqual([[first, 'PENDING']]);
      expect(res.body.skipped).toEqual([
        { commandId: settings, code: 'COMMAND_NOT_RETRYABLE', message: expect.stringContaining('ACKED') },
        { commandId: unknown, code: 'NOT_FOUND', message: expect.any(String) },
      ]);
    });

    it('should refuse an ack for a command of another store as unknown', async () => {
      const a = await storeWithNode();
      const b = await storeWithNode();
      const commandId = await publishMenu(a.storeId);
      const res = await b.node.api.post(`/api/v1/commands/${commandId}/ack`, ackFailed(commandId, 'INTERNAL')).expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
      expect(await command(commandId)).toMatchObject({ status: 'PENDING', attempts: 0 });
    });

    it('should refuse an ack whose body names another command', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      const other = await publishMenu(storeId, 'OTHER-1');
      const res = await node.api.post(`/api/v1/commands/${commandId}/ack`, ackFailed(other, 'INTERNAL')).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ path: 'commandId' }] } });
    });

    it('should refuse a malformed ack naming the field', async () => {
      const { storeId, node } = await storeWithNode();
      const commandId = await publishMenu(storeId);
      const res = await node.api.post(`/api/v1/commands/${commandId}/ack`, { commandId, status: 'ACKED', appliedAt: new Date().toISOString() }).expect(400);
      expect(res.body.details.issues).toEqual([expect.objectContaining({ path: 'appliedRevision' })]);
      const bad = await node.api.post(`/api/v1/commands/${commandId}/ack`, { ...ackFailed(commandId, 'ON_FIRE') }).expect(400);
      expect(bad.body.details.issues).toEqual([expect.objectContaining({ path: 'errorCode' })]);
    });
  });
});
