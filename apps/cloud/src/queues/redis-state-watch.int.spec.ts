import { uuidv7, type HeartbeatRequest } from '@app/contracts';
import { deleteRedisPrefix, makeEvent, makeMenuItem, RedisServer, waitFor } from '@app/testing';
import { ackOk, CloudApi, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { ACK_TIMEOUT_JOB } from '../commands/command-timers.scheduler.js';
import { PrismaService } from '../database/prisma.service.js';
import { RECONCILE_SCHEDULER_ID } from '../reconciliation/reconciliation.processor.js';
import { RETENTION_SCHEDULER_ID } from '../retention/retention.processor.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { JobQueues } from './job-queues.js';
import { RedisStateWatch } from './redis-state-watch.js';

const ACK_TIMEOUT_SECONDS = 4;

const heartbeat = (menu: number): HeartbeatRequest => ({
  softwareVersion: '1.0.0',
  appliedRevisions: { settings: 0, menu, users: 0, roles: 0 },
  outboxDepth: 0,
  hubSeq: 0,
  cloudCursor: 0,
  edgeReachable: true,
});

/** One cloud under test with a tenant, an admin and helpers to make delivered commands. */
class Fleet {
  readonly make: CloudFactories;
  readonly prisma: PrismaService;
  readonly anyone: CloudApi;
  admin!: CloudApi;
  tenant!: TenantRow;

  constructor(readonly cloud: CloudTestApp) {
    this.make = new CloudFactories(cloud.app);
    this.prisma = cloud.app.get(PrismaService);
    this.anyone = new CloudApi(cloud.server);
  }

  async init(): Promise<this> {
    this.tenant = await this.make.tenant({ name: 'Résilience Holdings — stores that outlive their Redis' });
    this.admin = this.anyone.as((await this.make.operatorWithToken(this.tenant)).token);
    return this;
  }

  async storeWithNode(): Promise<{ storeId: string; node: RegisteredNode }> {
    const store = await this.make.store(this.tenant, { name: 'Flagship store on the high street, Manchester city centre' });
    return { storeId: store.id, node: await registerNode(this.anyone, this.admin, store.id) };
  }

  /** A menu command published and delivered (its ack timer armed), never acked. */
  async deliveredCommand(): Promise<{ storeId: string; node: RegisteredNode; commandId: string; deadline: number }> {
    const { storeId, node } = await this.storeWithNode();
    const commandId = (
      await this.admin
        .post(`/api/v1/stores/${storeId}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem({ sku: 'BURGER-DELUXE-001' })] } })
        .expect(201)
    ).body.commandId as string;
    expect((await pollCommands(node.api, 0)).map((c) => c.commandId)).toEqual([commandId]);
    const row = await this.prisma.syncCommand.findUniqueOrThrow({ where: { id: commandId } });
    expect(row.status).toBe('DELIVERED');
    return { storeId, node, commandId, deadline: row.ackDeadlineAt!.getTime() };
  }

  /** When the command's delivery timed out (its ACK_TIMEOUT log entry), waiting for it. */
  async timedOutAt(commandId: string, timeoutMs: number): Promise<number> {
    const log = await waitFor(() => this.prisma.syncCommandLog.findFirst({ where: { commandId, event: 'ACK_TIMEOUT' } }), {
      timeoutMs,
      what: `the ack timeout of ${commandId}`,
    });
    return log.createdAt.getTime();
  }

  async timerJobExists(commandId: string): Promise<boolean> {
    const delayed = await this.cloud.app.get(JobQueues).queue('command-timers').getDelayed();
    return delayed.some((j) => j.name === ACK_TIMEOUT_JOB && (j.data as { commandId: string }).commandId === commandId);
  }

  async scheduler(): Promise<unknown> {
    return this.cloud.app.get(JobQueues).queue('reconciliation').getJobScheduler(RECONCILE_SCHEDULER_ID);
  }

  async retentionScheduler(): Promise<unknown> {
    return this.cloud.app.get(JobQueues).queue('retention').getJobScheduler(RETENTION_SCHEDULER_ID);
  }

  /** A store whose node reports an older menu than it was sent: reconciliation repairs it with a snapshot. */
  async driftedStore(): Promise<string> {
    const { storeId, node } = await this.storeWithNode();
    await this.admin
      .post(`/api/v1/stores/${storeId}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem({ sku: 'SOUP-OF-THE-DAY' })] } })
      .expect(201);
    const [command] = await pollCommands(node.api, 0);
    await node.api.post(`/api/v1/commands/${command!.commandId}/ack`, ackOk(command!)).expect(200);
    await node.api.post('/api/v1/nodes/heartbeat', heartbeat(0)).expect(200);
    return storeId;
  }

  snapshots(storeId: string): Promise<number> {
    return this.prisma.syncCommand.count({ where: { storeId, type: 'MENU_SNAPSHOT' } });
  }
}

describe(RedisStateWatch.name, () => {
  describe('when the Redis prefix is deleted under a running cloud (no reconnect)', () => {
    let cloud: CloudTestApp;
    let fleet: Fleet;

    beforeAll(async () => {
      cloud = await startCloudTestApp('redis-flush', {
        RECOVERY_SWEEP_SECONDS: '1',
        COMMAND_ACK_TIMEOUT_SECONDS: String(ACK_TIMEOUT_SECONDS),
        COMMAND_RETRY_BASE_MS: '200',
        COMMAND_RETRY_MAX_MS: '400',
        RECONCILE_INTERVAL_SECONDS: '2',
      });
      fleet = await new Fleet(cloud).init();
      await waitFor(async () => (await fleet.scheduler()) && (await cloud.app.get(RedisStateWatch).check('test'), true), {
        what: 'the schedule and the marker',
      });
    });

    afterAll(async () => {
      await cloud.close();
    });

    it('should time out and retry a delivered command whose timer went with the flush, and reconcile again', async () => {
      const delivered = await fleet.deliveredCommand();
      expect(await fleet.timerJobExists(delivered.commandId)).toBe(true);

      // Every key of this cloud's prefix, and only those: other test files share the server.
      expect(await deleteRedisPrefix(cloud.redisPrefix)).toBeGreaterThan(0);
      expect(await fleet.scheduler()).toBeUndefined();
      expect(await fleet.retentionScheduler()).toBeUndefined();

      // The state is rebuilt from the database within a sweep or two, the cloud still running.
      await waitFor(
        async () =>
          (await fleet.scheduler()) !== undefined && (await fleet.retentionScheduler()) !== undefined && (await fleet.timerJobExists(delivered.commandId)),
        { timeoutMs: 5_000, what: 'the schedules and the timer to be re-created' },
      );
      const timedOut = await fleet.timedOutAt(delivered.commandId, ACK_TIMEOUT_SECONDS * 1000 + 10_000);
      // Re-armed with its own due time, not a sweep's grace later.
      expect(timedOut - delivered.deadline).toBeLessThan(2_500);
      expect(timedOut).toBeGreaterThanOrEqual(delivered.deadline - 50);

      // And retried: its retry timer (armed after the flush) brings it back for a second delivery.
      await waitFor(() => fleet.prisma.syncCommandLog.findFirst({ where: { commandId: delivered.commandId, event: 'RETRY_DUE' } }), {
        timeoutMs: 5_000,
        what: 'the retry',
      });
      const again = await waitFor(async () => (await pollCommands(delivered.node.api, 0)).find((c) => c.commandId === delivered.commandId), {
        timeoutMs: 5_000,
        what: 'the second delivery',
      });
      expect(again.commandId).toBe(delivered.commandId);
      expect((await fleet.prisma.syncCommand.findUniqueOrThrow({ where: { id: delivered.commandId } })).attempts).toBe(2);

      // The periodic reconciliation runs again: a store that drifted after the flush is repaired.
      const drifted = await fleet.driftedStore();
      await waitFor(async () => (await fleet.snapshots(drifted)) === 1, { timeoutMs: 10_000, what: 'a reconciliation pass after the flush' });
    });

    it('should re-arm, within a sweep of its grace, one lost timer while the rest of the state is there', async () => {
      const delivered = await fleet.deliveredCommand();
      // A crash between committing the delivery and arming its timer: this one job never existed.
      const queue = cloud.app.get(JobQueues).queue('command-timers');
      const job = (await queue.getDelayed()).find((j) => j.name === ACK_TIMEOUT_JOB && (j.data as { commandId: string }).commandId === delivered.commandId)!;
      await job.remove();
      const timedOut = await fleet.timedOutAt(delivered.commandId, ACK_TIMEOUT_SECONDS * 1000 + 15_000);
      // Grace (5 s) + one sweep (1 s) + the worker, never the 30 s of a reconciliation pass.
      expect(timedOut - delivered.deadline).toBeLessThan(8_000);
      expect(await fleet.prisma.syncCommandLog.count({ where: { commandId: delivered.commandId, event: 'ACK_TIMEOUT' } })).toBe(1);
    });
  });

  describe('when the prefix is deleted with a projection run still queued', () => {
    let cloud: CloudTestApp;
    let fleet: Fleet;

    beforeAll(async () => {
      cloud = await startCloudTestApp('redis-flush-sales', { RECOVERY_SWEEP_SECONDS: '1', RECONCILE_INTERVAL_SECONDS: '3600' });
      fleet = await new Fleet(cloud).init();
      await cloud.app.get(RedisStateWatch).check('test');
    });

    afterAll(async () => {
      await cloud.close();
    });

    it('should queue the run again: the paid order is counted without a further batch', async () => {
      const { storeId, node } = await fleet.storeWithNode();
      const paid = makeEvent({
        tenantId: fleet.tenant.id,
        storeId,
        type: 'order.paid',
        aggregateId: `order-${uuidv7()}`,
        version: 3,
        payload: { totalCents: 4_250, method: 'card' },
      });
      await node.api.post('/api/v1/events/ingest', { events: [paid] }).expect(200);
      // The run waits a second after the batch (PROJECTION_DELAY_MS): it goes with the flush.
      await deleteRedisPrefix(cloud.redisPrefix);
      const day = await waitFor(() => fleet.prisma.storeSalesDay.findFirst({ where: { storeId } }), { timeoutMs: 10_000, what: 'the sales of the day' });
      expect(day).toMatchObject({ orders: 1, salesCents: 4_250n });
    });
  });

  describe('when Redis restarts empty (the connection drops and comes back)', () => {
    let redis: RedisServer;
    let cloud: CloudTestApp;
    let fleet: Fleet;

    beforeAll(async () => {
      redis = await RedisServer.start();
      // No sweep during the test: the recovery must come from the reconnection itself.
      cloud = await startCloudTestApp('redis-restart', {
        REDIS_URL: redis.url,
        RECOVERY_SWEEP_SECONDS: '3600',
        COMMAND_ACK_TIMEOUT_SECONDS: String(ACK_TIMEOUT_SECONDS),
        RECONCILE_INTERVAL_SECONDS: '3600',
      });
      fleet = await new Fleet(cloud).init();
      await waitFor(async () => (await fleet.scheduler()) !== undefined, { what: 'the schedule' });
    });

    afterAll(async () => {
      await cloud?.close();
      await redis?.stop();
    });

    it('should re-create the schedule and every timer on reconnecting, and time the command out on its deadline', async () => {
      const delivered = await fleet.deliveredCommand();
      const pending = await fleet.deliveredCommand();
      await redis.restartEmpty();

      await waitFor(async () => (await fleet.scheduler()) !== undefined, { timeoutMs: 10_000, what: 'the schedule after the restart' });
      await waitFor(async () => (await fleet.timerJobExists(delivered.commandId)) && (await fleet.timerJobExists(pending.commandId)), {
        timeoutMs: 10_000,
        what: 'both timers after the restart',
      });
      const timedOut = await fleet.timedOutAt(delivered.commandId, ACK_TIMEOUT_SECONDS * 1000 + 10_000);
      expect(timedOut - delivered.deadline).toBeLessThan(2_500);
      await fleet.timedOutAt(pending.commandId, 5_000);
    });
  });
});
