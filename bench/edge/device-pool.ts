import { Worker } from 'node:worker_threads';
import { percentileOfSorted } from '../stats.js';
import type { WorkerCommand, WorkerSetup } from './bench-worker.js';

interface WorkerHandle {
  worker: Worker;
  request<T>(command: WorkerCommand, reply: string): Promise<T>;
}

export interface SteadyResult {
  sent: number;
  /** Every append-to-arrival latency at the other devices, sorted, in ms. */
  samples: Float64Array;
}

function startWorker(setup: WorkerSetup): WorkerHandle {
  const worker = new Worker(new URL('./bench-worker.js', import.meta.url), { workerData: setup });
  const waiting = new Map<string, (value: unknown) => void>();
  worker.on('message', (message: { type: string; message?: string }) => {
    if (message.type === 'error') {
      console.error(`worker error: ${message.message}`);
      process.exitCode = 1;
      return;
    }
    waiting.get(message.type)?.(message);
    waiting.delete(message.type);
  });
  worker.on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  return {
    worker,
    request<T>(command: WorkerCommand, reply: string) {
      return new Promise<T>((resolve) => {
        waiting.set(reply, resolve as (value: unknown) => void);
        worker.postMessage(command);
      });
    },
  };
}

/**
 * The benchmark's devices (`@app/device-client`), spread over worker threads of this process so
 * that decoding the relays of 20 devices does not all land on one event loop.
 */
export class DevicePool {
  private constructor(
    private readonly workers: WorkerHandle[],
    readonly devices: number,
  ) {}

  /** Starts `workers` threads sharing `devices` devices (till-01…), connected and caught up. */
  static async connect(options: {
    url: string;
    tenantId: string;
    storeId: string;
    devices: number;
    workers: number;
    token: (deviceId: string) => string;
  }): Promise<DevicePool> {
    const perWorker = options.devices / options.workers;
    const handles: WorkerHandle[] = [];
    for (let w = 0; w < options.workers; w += 1) {
      const devices = Array.from({ length: perWorker }, (_, i) => `till-${String(i * options.workers + w + 1).padStart(2, '0')}`).map((deviceId) => ({
        deviceId,
        token: options.token(deviceId),
      }));
      handles.push(startWorker({ url: options.url, tenantId: options.tenantId, storeId: options.storeId, devices }));
    }
    const pool = new DevicePool(handles, options.devices);
    await Promise.all(handles.map((w) => w.request({ cmd: 'connect' }, 'connected')));
    return pool;
  }

  /** All devices together append `rate` events/s for `durationMs`, evenly spread. */
  async steady(rate: number, durationMs: number): Promise<SteadyResult> {
    const intervalMs = (this.devices * 1000) / rate;
    const results = await Promise.all(
      this.workers.map((w, i) =>
        w.request<{ sent: number; latencies: Float64Array }>({ cmd: 'steady', intervalMs, durationMs, offsetMs: (i * intervalMs) / this.devices }, 'steady'),
      ),
    );
    return {
      sent: results.reduce((n, s) => n + s.sent, 0),
      samples: Float64Array.from(results.flatMap((s) => [...s.latencies])).sort(),
    };
  }

  /** Every device appends `perDevice` events at once; resolves when every device holds `targetSeq`. */
  async saturate(perDevice: number, targetSeq: number): Promise<{ doneAt: number; acked: number }> {
    const results = await Promise.all(
      this.workers.map((w) => w.request<{ doneAt: number; acked: number }>({ cmd: 'saturate', perDevice, targetSeq }, 'saturate')),
    );
    return { doneAt: Math.max(...results.map((r) => r.doneAt)), acked: results.reduce((n, r) => n + r.acked, 0) };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request({ cmd: 'close' }, 'closed').catch(() => undefined)));
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

export function latencyOf(samples: Float64Array): { p50: number; p99: number; max: number } {
  return { p50: percentileOfSorted(samples, 50), p99: percentileOfSorted(samples, 99), max: samples[samples.length - 1]! };
}
