import { readFileSync } from 'node:fs';
import path from 'node:path';
import { uuidv7, type CloudEventsPage, type EdgeStatus, type EventBase } from '@app/contracts';
import { HubClient } from '@app/device-client';
import { JsonClient, LoopStack, waitFor } from '@app/testing';

const EVENTS = 1_000;
/** Each event's payload carries this much text: a full page of them is past the cloud's 8 MB body limit. */
const MEMO_BYTES = 9_000;

/**
 * Issue 13, finding 2, the agent's side: a page the cloud refuses whole and for good (here 413, a
 * page of large events past its body limit) was retried as it was, forever, and the store's uplink
 * never moved again. The agent now splits such a page until the cloud takes it, and steps over an
 * event only when the cloud refuses that event alone.
 */
describe('the loop: the uplink moves past what the cloud refuses for good', () => {
  let stack: LoopStack;
  const devices: { deviceId: string; client: HubClient }[] = [];

  beforeAll(async () => {
    stack = await LoopStack.start({ label: 'loop-uplink', agentEnv: { UPLINK_BATCH_SIZE: String(EVENTS) } });
    for (const deviceId of ['till-north-entrance-01', 'till-south-terrace-02']) {
      const client = new HubClient({
        url: stack.edgeUrl,
        token: await stack.deviceToken(deviceId),
        deviceId,
        tenantId: stack.tenantId,
        storeId: stack.storeId,
      });
      await client.connect();
      devices.push({ deviceId, client });
    }
  });

  afterAll(async () => {
    for (const device of devices) device.client.close();
    await stack?.close();
  });

  const health = () => JSON.parse(readFileSync(path.join(stack.agentDataDir, 'health.json'), 'utf8')) as { counters?: Record<string, number> };

  it('should ship a page too large for the cloud in halves, with no event lost or skipped', async () => {
    // The agent must not ship as the events arrive: stopped, the outbox fills to one big page.
    await stack.agent!.stop();
    const sent: EventBase[] = [];
    for (const [d, device] of devices.entries()) {
      for (let n = 0; n < EVENTS / devices.length; n += 1) {
        const deviceId = device.deviceId;
        const event: EventBase = {
          eventId: uuidv7(),
          tenantId: stack.tenantId,
          storeId: stack.storeId,
          aggregateType: 'order',
          aggregateId: `order-${d}-${n}-${uuidv7()}`,
          version: 1,
          type: 'order.created',
          at: new Date().toISOString(),
          actor: { deviceId },
          clock: { lamport: n + 1, deviceId },
          payload: { items: [{ sku: 'LONG-SANDWICH-01', qty: 1 }], memo: `Allergy notes for table ${n}: ${'é'.repeat(MEMO_BYTES / 2)}` },
        };
        sent.push(event);
      }
    }
    for (let i = 0; i < sent.length; i += 100) {
      const acks = await Promise.all(sent.slice(i, i + 100).map((e) => devices.find((d) => d.deviceId === e.actor.deviceId)!.client.append(e)));
      expect(acks.filter((a) => !a.ok)).toEqual([]);
    }
    expect(Buffer.byteLength(JSON.stringify({ events: sent }))).toBeGreaterThan(8 * 1024 * 1024);

    await stack.startAgent();
    const edge = new JsonClient(stack.edgeUrl);
    await waitFor(async () => (await edge.ok<EdgeStatus>('GET', '/status')).outboxDepth === 0, {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'the outbox to drain',
    });
    const inCloud = new Set<string>();
    for (let after = 0; ;) {
      const page = await stack.admin.ok<CloudEventsPage>('GET', `/api/v1/stores/${stack.storeId}/events?after=${after}&limit=1000`);
      for (const e of page.events) inCloud.add(e.eventId);
      if (page.events.length === 0) break;
      after = page.nextCursor;
    }
    expect(inCloud).toEqual(new Set(sent.map((e) => e.eventId)));
    await waitFor(() => (health().counters?.events_uploaded ?? 0) >= EVENTS, { timeoutMs: 10_000, what: 'the agent to report what it shipped' });
    expect(health().counters?.events_rejected ?? 0).toBe(0);
    expect(stack.agent!.output()).toContain(`the cloud refused a page of ${EVENTS} events`);
  });
});
