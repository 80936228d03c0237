import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CloudEvent, CloudEventsPage, EdgeStatus, EventBase, StoredEvent } from '@app/contracts';
import { uuidv7 } from '@app/contracts';
import { HubClient } from '@app/device-client';
import { JsonClient, LoopStack, waitFor } from '@app/testing';

/** A till that writes orders: created, updated twice, paid (four events, versions 1-4). */
class Till {
  private lamport = 0;
  readonly client: HubClient;

  constructor(
    readonly deviceId: string,
    private readonly stack: LoopStack,
    token: string,
  ) {
    this.client = new HubClient({ url: stack.edgeUrl, token, deviceId, tenantId: stack.tenantId, storeId: stack.storeId });
  }

  event(aggregateId: string, version: number, type: EventBase['type'], payload: EventBase['payload']): EventBase {
    this.lamport += 1;
    return {
      eventId: uuidv7(),
      tenantId: this.stack.tenantId,
      storeId: this.stack.storeId,
      aggregateType: 'order',
      aggregateId,
      version,
      type,
      at: new Date().toISOString(),
      actor: { deviceId: this.deviceId },
      clock: { lamport: this.lamport, deviceId: this.deviceId },
      payload,
    };
  }

  /** Places `orders` orders one after the other, four events each; resolves once the hub committed them all. */
  async placeOrders(prefix: string, orders: number): Promise<EventBase[]> {
    const sent: EventBase[] = [];
    for (let n = 0; n < orders; n += 1) {
      const orderId = `${prefix}-${this.deviceId}-${n}`;
      const events = [
        this.event(orderId, 1, 'order.created', { items: [{ sku: 'BURGER-1', qty: 1 }] }),
        this.event(orderId, 2, 'order.updated', { items: [{ sku: 'BURGER-1', qty: 2 }] }),
        this.event(orderId, 3, 'order.updated', {
          items: [
            { sku: 'BURGER-1', qty: 2 },
            { sku: 'FRIES-1', qty: 1 },
          ],
        }),
        this.event(orderId, 4, 'order.paid', { totalCents: 3300, method: 'card' }),
      ];
      const acks = await Promise.all(events.map((e) => this.client.append(e)));
      const refused = acks.find((a) => !a.ok);
      if (refused) throw new Error(`the hub refused an order event: ${JSON.stringify(refused)}`);
      sent.push(...events);
    }
    return sent;
  }
}

/**
 * Events up, with the three apps as processes: devices append at the hub, the agent ships the
 * outbox to the cloud's ingest. Checked in the cloud: every event once, in order per aggregate,
 * and the hub's seqs with no gap, also across a cloud outage. Events HQ creates go down to devices.
 */
describe('the loop: events from the store to the cloud', () => {
  let stack: LoopStack;
  const tills: Till[] = [];
  let kds: HubClient;
  const kdsSeen: StoredEvent[] = [];

  beforeAll(async () => {
    stack = await LoopStack.start({ label: 'loop-events' });
    for (const deviceId of ['till-1', 'till-2', 'till-3', 'till-4']) {
      const till = new Till(deviceId, stack, await stack.deviceToken(deviceId));
      await till.client.connect();
      tills.push(till);
    }
    kds = new HubClient({ url: stack.edgeUrl, token: await stack.deviceToken('kds-1'), deviceId: 'kds-1', tenantId: stack.tenantId, storeId: stack.storeId });
    kds.on('event', (event) => kdsSeen.push(event));
    await kds.connect();
  });

  afterAll(async () => {
    for (const till of tills) till.client.close();
    kds?.close();
    await stack?.close();
  });

  async function cloudEvents(): Promise<CloudEvent[]> {
    const all: CloudEvent[] = [];
    for (let after = 0; ;) {
      const page = await stack.admin.ok<CloudEventsPage>('GET', `/api/v1/stores/${stack.storeId}/events?after=${after}&limit=1000`);
      all.push(...page.events);
      if (page.events.length === 0) return all;
      after = page.nextCursor;
    }
  }

  function readHealth(): { status: string; cloudReachable: boolean; edgeReachable: boolean; outboxDepth: number | null } {
    return JSON.parse(readFileSync(path.join(stack.agentDataDir, 'health.json'), 'utf8')) as ReturnType<typeof readHealth>;
  }

  async function edgeStatus(): Promise<EdgeStatus> {
    return new JsonClient(stack.edgeUrl).ok<EdgeStatus>('GET', '/status');
  }

  /** Every device event the hub holds is in the cloud exactly once, in hub order per aggregate, with no hub seq missing. */
  async function expectCloudHoldsExactly(sent: EventBase[]): Promise<CloudEvent[]> {
    const events = await waitFor(
      async () => {
        const all = await cloudEvents();
        return all.filter((e) => e.origin === 'hub').length >= sent.length ? all : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `${sent.length} events in the cloud` },
    );
    const fromHub = events.filter((e) => e.origin === 'hub');
    expect(fromHub).toHaveLength(sent.length);
    expect(new Set(fromHub.map((e) => e.eventId))).toEqual(new Set(sent.map((e) => e.eventId)));
    // No gap: the hub's seqs of its device events, 1..n, each once.
    const hubSeqs = fromHub.map((e) => e.hubSeq!).sort((a, b) => a - b);
    expect(hubSeqs).toEqual(Array.from({ length: sent.length }, (_, i) => i + 1));
    // In order per aggregate: cloud order gives versions 1, 2, 3, 4.
    const versions = new Map<string, number[]>();
    for (const e of fromHub) versions.set(e.aggregateId, [...(versions.get(e.aggregateId) ?? []), e.version]);
    for (const [aggregateId, seen] of versions) expect([aggregateId, seen]).toEqual([aggregateId, [1, 2, 3, 4]]);
    return fromHub;
  }

  it('should get 1,000 order events from four tills into the cloud exactly once, in order per aggregate', async () => {
    // 250 orders of four events, the tills writing at the same time.
    const sent = (await Promise.all(tills.map((t, i) => t.placeOrders('burst', i < 2 ? 63 : 62)))).flat();
    expect(sent).toHaveLength(1_000);
    await expectCloudHoldsExactly(sent);
    await waitFor(async () => (await edgeStatus()).outboxDepth === 0, { what: 'the outbox to drain' });
  });

  it('should keep devices ordering on the LAN while the cloud is down, then drain the backlog with no gap and no duplicate', async () => {
    const before = (await cloudEvents()).filter((e) => e.origin === 'hub');
    await stack.cloud.stop();
    const during = (await Promise.all(tills.map((t) => t.placeOrders('offline', 25)))).flat();
    expect(during).toHaveLength(400);
    // Every one of them is committed at the hub and seen by the kitchen display, with no cloud.
    const status = await edgeStatus();
    expect(status.outboxDepth).toBe(400);
    await waitFor(() => during.every((e) => kdsSeen.some((s) => s.eventId === e.eventId)), { what: 'the KDS to see the offline orders' });
    // The agent has noticed: its heartbeat fails, and its health file says so with the backlog it holds.
    await waitFor(() => readHealth().cloudReachable === false && readHealth().outboxDepth === 400, { what: 'the agent to see the cloud gone and the backlog' });
    expect(readHealth()).toEqual(expect.objectContaining({ status: 'degraded', edgeReachable: true }));

    await stack.startCloud();
    const all = await expectCloudHoldsExactly([...before, ...during]);
    expect(all).toHaveLength(before.length + 400);
    await waitFor(async () => (await edgeStatus()).outboxDepth === 0, { what: 'the outbox to drain' });
  });

  it('should lose nothing and send nothing twice when the agent and then the hub are killed while orders flow', async () => {
    const before = (await cloudEvents()).filter((e) => e.origin === 'hub');
    const flowing = Promise.all(tills.map((t) => t.placeOrders('crash', 25)));
    const hubSeqNow = async () => (await edgeStatus()).latestSeq;
    const start = await hubSeqNow();
    await waitFor(async () => (await hubSeqNow()) >= start + 100, { what: 'orders to flow' });
    await stack.agent!.kill9();
    await waitFor(async () => (await hubSeqNow()) >= start + 200, { what: 'more orders with the agent down' });
    await stack.startAgent();
    await waitFor(async () => (await hubSeqNow().catch(() => 0)) >= start + 250, { what: 'orders to flow again' });
    // The hub dies with appends in flight; the devices reconnect and resend what was not acknowledged.
    await stack.edge.kill9();
    await stack.startEdge();
    const during = (await flowing).flat();
    expect(during).toHaveLength(400);
    await expectCloudHoldsExactly([...before, ...during]);
    await waitFor(async () => (await edgeStatus()).outboxDepth === 0, { what: 'the outbox to drain' });
  });

  it('should hand an event HQ creates for the store to the hub, which relays it to the devices', async () => {
    const event: EventBase = {
      eventId: uuidv7(),
      tenantId: stack.tenantId,
      storeId: stack.storeId,
      aggregateType: 'inventory',
      aggregateId: 'BURGER-1',
      version: 1,
      type: 'inventory.adjusted',
      at: new Date().toISOString(),
      actor: { deviceId: 'hq', userId: 'admin' },
      clock: { lamport: 1, deviceId: 'hq' },
      payload: { sku: 'BURGER-1', delta: 24, reason: 'delivery' },
    };
    const res = await stack.admin.ok<{ accepted: number }>('POST', `/api/v1/stores/${stack.storeId}/events`, { events: [event] });
    expect(res.accepted).toBe(1);
    const relayed = await waitFor(() => kdsSeen.find((e) => e.eventId === event.eventId), { what: 'the KDS to receive the HQ event' });
    expect(relayed).toEqual(expect.objectContaining({ type: 'inventory.adjusted', payload: expect.objectContaining({ delta: 24 }) }));
    const inventory = await (await stack.edgeAsDevice()).ok<unknown>('GET', '/api/v1/inventory');
    expect(JSON.stringify(inventory)).toContain('BURGER-1');
    // It is not shipped back up as a store event.
    await waitFor(async () => (await edgeStatus()).outboxDepth === 0);
    expect((await cloudEvents()).filter((e) => e.eventId === event.eventId)).toEqual([expect.objectContaining({ origin: 'cloud' })]);
  });
});
