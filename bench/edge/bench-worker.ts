import { parentPort, workerData } from 'node:worker_threads';
import { HubClient } from '@app/device-client';
import { benchOrder, nowMs } from './bench-events.js';

/**
 * A share of the benchmark's devices, in a worker thread so that decoding the relays of 20
 * devices does not all land on one event loop. Commands come from edge.bench.ts.
 */
export interface WorkerSetup {
  url: string;
  tenantId: string;
  storeId: string;
  devices: { deviceId: string; token: string }[];
}

export type WorkerCommand =
  | { cmd: 'connect' }
  | { cmd: 'steady'; intervalMs: number; durationMs: number; offsetMs: number }
  | { cmd: 'saturate'; perDevice: number; targetSeq: number }
  | { cmd: 'close' };

const setup = workerData as WorkerSetup;
const clients: HubClient[] = [];
const counters = new Map<string, number>();
let latencies: number[] = [];
let measuring = false;

function post(message: unknown): void {
  parentPort!.postMessage(message);
}

async function connect(): Promise<void> {
  for (const { deviceId, token } of setup.devices) {
    const client = new HubClient({
      url: setup.url,
      token,
      deviceId,
      tenantId: setup.tenantId,
      storeId: setup.storeId,
      maxInFlight: 64,
      cursorSaveIntervalMs: 1_000,
    });
    client.on('event', (event, source) => {
      if (!measuring || source !== 'relay') return;
      const sentAt = (event.payload as { sentAt?: unknown }).sentAt;
      if (typeof sentAt === 'number') latencies.push(nowMs() - sentAt);
    });
    client.on('rejected', (event, ack) => post({ type: 'error', message: `${deviceId}: ${event.eventId} refused: ${ack.code} ${ack.message}` }));
    await client.connect();
    await client.waitCaughtUp();
    clients.push(client);
  }
}

function next(client: HubClient, deviceId: string): ReturnType<typeof benchOrder> {
  const n = (counters.get(deviceId) ?? 0) + 1;
  counters.set(deviceId, n);
  return benchOrder(setup, deviceId, n, client.cursor + 1);
}

/** Each device appends one event every `intervalMs`, devices spread evenly over the interval. */
async function steady(intervalMs: number, durationMs: number, offsetMs: number): Promise<number> {
  latencies = [];
  measuring = true;
  let sent = 0;
  const stop = nowMs() + durationMs;
  await Promise.all(
    clients.map(async (client, i) => {
      const deviceId = setup.devices[i]!.deviceId;
      await new Promise((resolve) => setTimeout(resolve, offsetMs + (i * intervalMs) / clients.length));
      let due = nowMs();
      const pending: Promise<unknown>[] = [];
      while (due < stop) {
        pending.push(client.append(next(client, deviceId)));
        sent += 1;
        due += intervalMs;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - nowMs())));
      }
      await Promise.all(pending);
    }),
  );
  // Let the last relays arrive before the samples are handed over.
  await new Promise((resolve) => setTimeout(resolve, 300));
  measuring = false;
  return sent;
}

/** Every device appends `perDevice` events at once; resolves when each device holds `targetSeq`. */
async function saturate(perDevice: number, targetSeq: number): Promise<{ doneAt: number; acked: number }> {
  let acked = 0;
  await Promise.all(
    clients.map(async (client, i) => {
      const deviceId = setup.devices[i]!.deviceId;
      const acks = await Promise.all(Array.from({ length: perDevice }, () => client.append(next(client, deviceId))));
      acked += acks.filter((a) => a.ok).length;
      const deadline = nowMs() + 120_000;
      while (client.cursor < targetSeq) {
        if (nowMs() > deadline) throw new Error(`${deviceId} holds seq ${client.cursor}, expected ${targetSeq}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }),
  );
  return { doneAt: nowMs(), acked };
}

parentPort!.on('message', (command: WorkerCommand) => {
  void (async () => {
    try {
      switch (command.cmd) {
        case 'connect':
          await connect();
          post({ type: 'connected' });
          return;
        case 'steady': {
          const sent = await steady(command.intervalMs, command.durationMs, command.offsetMs);
          post({ type: 'steady', sent, latencies: Float64Array.from(latencies) });
          return;
        }
        case 'saturate':
          post({ type: 'saturate', ...(await saturate(command.perDevice, command.targetSeq)) });
          return;
        case 'close':
          for (const client of clients) client.close();
          post({ type: 'closed' });
          return;
      }
    } catch (error) {
      post({ type: 'error', message: (error as Error).stack ?? String(error) });
    }
  })();
});
