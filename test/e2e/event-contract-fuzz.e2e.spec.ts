import { HUB_EVENTS, type AppendAck, type IngestResponse, type RegisterNodeResponse } from '@app/contracts';
import { EventFuzzer, JsonClient, LoopStack, type FuzzCase } from '@app/testing';
import { io, type Socket } from 'socket.io-client';

const CASES = 3_000;
const CLOUD_BATCH = 250;
const HUB_WINDOW = 200;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const DEVICE = 'till-fuzz-front-counter-01';

/**
 * Refusals of the hub that are rules of its state (the aggregate's version, a lease, a session),
 * not of the event contract: the event itself was valid.
 */
const HUB_STATE_RULES = new Set([
  'VERSION_CONFLICT',
  'LOCKED',
  'SESSION_REQUIRED',
  'FORBIDDEN',
  'ORDER_CLOSED',
  'INVALID_TRANSITION',
  'OVERPAYMENT',
  'DUPLICATE_PAYMENT',
]);

type Verdict = 'accept' | 'reject' | `unexpected ${string}`;

/**
 * The "Done when": generated events, valid and broken each way the contract bounds (dates,
 * lone surrogates, nesting, integer ranges, types, lengths, unicode), sent through the real hub
 * (Socket.IO append with a device token the cloud issued) and the real cloud ingest (HTTP with a
 * node's token). Hub and cloud must agree on every one, as the contract says, with no 500.
 */
describe('the event contract, fuzzed through hub and cloud', () => {
  let stack: LoopStack;
  let node: JsonClient;
  let socket: Socket;

  beforeAll(async () => {
    stack = await LoopStack.start({
      label: 'event-fuzz',
      startAgent: false,
      // The fuzz is about the contract: no device rate limit in the way of a few thousand appends.
      edgeEnv: { EDGE_RATE_LIMIT_PER_SECOND: '1000000', EDGE_RATE_LIMIT_BURST: '1000000' },
    });
    const registered = await new JsonClient(stack.cloudUrl).ok<RegisterNodeResponse>('POST', '/api/v1/nodes/register', {
      bootstrapToken: stack.bootstrapToken,
      hostname: 'fuzz-box',
      softwareVersion: '1.0.0',
    });
    node = new JsonClient(stack.cloudUrl, registered.accessToken);
    socket = io(stack.edgeUrl, { transports: ['websocket'], reconnection: false, auth: { token: await stack.deviceToken(DEVICE) } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  });

  afterAll(async () => {
    socket?.disconnect();
    await stack?.close();
  });

  async function hubVerdicts(cases: FuzzCase[]): Promise<Verdict[]> {
    const out: Verdict[] = [];
    for (let i = 0; i < cases.length; i += HUB_WINDOW) {
      const acks = await Promise.all(
        cases.slice(i, i + HUB_WINDOW).map((c) => socket.timeout(10_000).emitWithAck(HUB_EVENTS.eventsAppend, c.event) as Promise<AppendAck>),
      );
      for (const ack of acks) {
        if (ack.ok) out.push('accept');
        else if (ack.code === 'INVALID') out.push('reject');
        else if (HUB_STATE_RULES.has(ack.code)) out.push('accept');
        else out.push(`unexpected ${ack.code}: ${ack.message}`);
      }
    }
    return out;
  }

  async function cloudVerdicts(cases: FuzzCase[]): Promise<Verdict[]> {
    const out: Verdict[] = [];
    for (let i = 0; i < cases.length; i += CLOUD_BATCH) {
      const batch = cases.slice(i, i + CLOUD_BATCH);
      const res = await node.call<IngestResponse>('POST', '/api/v1/events/ingest', { events: batch.map((c) => c.event) });
      if (res.status !== 200) {
        out.push(...batch.map((): Verdict => `unexpected HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`));
        continue;
      }
      const rejected = new Map(res.body.rejected.map((r) => [r.index, r]));
      batch.forEach((_, index) => {
        const r = rejected.get(index);
        out.push(!r ? 'accept' : r.code === 'INVALID' ? 'reject' : `unexpected ${r.code}: ${r.message}`);
      });
    }
    return out;
  }

  it(`should have hub and cloud agree with the contract on ${CASES} generated events, with no 500`, async () => {
    console.log(`event contract fuzz: seed ${SEED} (FUZZ_SEED=${SEED} to repeat)`);
    const cases = new EventFuzzer(SEED, { tenantId: stack.tenantId, storeId: stack.storeId, deviceId: DEVICE }).cases(CASES);
    const [hub, cloud] = await Promise.all([hubVerdicts(cases), cloudVerdicts(cases)]);

    const counts = new Map<string, { cases: number; accepted: number; rejected: number }>();
    const disagreements: string[] = [];
    cases.forEach((c, i) => {
      const count = counts.get(c.label) ?? { cases: 0, accepted: 0, rejected: 0 };
      count.cases += 1;
      if (hub[i] === 'accept') count.accepted += 1;
      else count.rejected += 1;
      counts.set(c.label, count);
      if (hub[i] !== c.expected || cloud[i] !== c.expected) disagreements.push(`#${i} ${c.label}: expected ${c.expected}, hub ${hub[i]}, cloud ${cloud[i]}`);
    });
    const total = { cases: cases.length, accepted: hub.filter((v) => v === 'accept').length, rejected: hub.filter((v) => v === 'reject').length };
    console.log(
      [
        `event contract fuzz: ${total.cases} cases, ${total.accepted} accepted and ${total.rejected} rejected by both, ` +
          `${disagreements.length} disagreements (seed ${SEED})`,
        ...[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([label, n]) => `  ${label}: ${n.cases} (accepted ${n.accepted}, rejected ${n.rejected})`),
      ].join('\n'),
    );
    expect(disagreements.slice(0, 20)).toEqual([]);
    // Both ways were exercised in earnest.
    expect(total.accepted).toBeGreaterThan(CASES / 4);
    expect(total.rejected).toBeGreaterThan(CASES / 4);
  });
});
