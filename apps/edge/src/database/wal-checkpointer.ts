import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies committed WAL frames into the database file. */
export const CHECKPOINT_INTERVAL_MS = 25;

/** What the checkpointer thread has done so far (the tests read it to prove the thread's work). */
export interface CheckpointStats {
  /** Checkpoints that copied at least one frame. */
  checkpoints: number;
  /** Frames copied into the database file in all. */
  framesCopied: number;
  /** Runs that failed (the writer's own autocheckpoint bounds the WAL meanwhile). */
  errors: number;
  lastError: string | null;
}

interface WorkerData {
  driver: string;
  file: string;
  intervalMs: number;
}

type FromWorker = { type: 'stats'; stats: CheckpointStats } | { type: 'stopped' } | { type: 'failed'; message: string };

/**
 * The thread's own code, run as a CommonJS script (`eval`), so that it is the same under the
 * built app and under the tests' TypeScript transform. It opens its own connection to the file and
 * runs PASSIVE checkpoints, which never block the writer nor wait for it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
} catch (error) {
  // SQLite's error class does not survive the trip to the main thread: send its message.
  parentPort.postMessage({ type: 'failed', message: String((error && error.message) || error) });
  process.exit(1);
}
const stats = { checkpoints: 0, framesCopied: 0, errors: 0, lastError: null };
let backfilled = 0;
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // After the writer restarts the WAL, its frame count starts again from zero.
    const copied = result.checkpointed >= backfilled ? result.checkpointed - backfilled : result.checkpointed;
    backfilled = result.checkpointed;
    if (copied > 0) { stats.checkpoints += 1; stats.framesCopied += copied; }
  } catch (error) {
    stats.errors += 1;
    stats.lastError = error.message;
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'stats') parentPort.postMessage({ type: 'stats', stats });
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close(); // nothing is left to keep the thread alive: it exits
  }
});
`;

/**
 * Keeps WAL checkpoints off the commit path. With SQLite's default, the commit that takes the WAL
 * past its threshold also copies the WAL into the database file and fsyncs it, so about one
 * acknowledgement (and relay) in a hundred waited for a checkpoint too. Here a thread with its own
 * connection checkpoints every CHECKPOINT_INTERVAL_MS: the writer's commits write and fsync the
 * WAL only, and the WAL restarts from its beginning (overwriting, which fsyncs fastest) whenever it
 * is fully copied. The writer keeps its own `wal_autocheckpoint` as the backstop that bounds the
 * WAL should this thread stop or fall behind (sqlite-database.ts).
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  private readonly waiting = new Set<(message: FromWorker) => void>();

  constructor(file: string, onExit: (error: Error) => void, intervalMs = CHECKPOINT_INTERVAL_MS) {
    const workerData: WorkerData = { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs };
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData,
      name: 'wal-checkpointer',
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
    });
    this.worker.unref();
    let failure: Error | null = null;
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'failed') failure = new Error(message.message);
      for (const resolve of this.waiting) resolve(message);
    });
    this.worker.on('error', (error) => (failure ??= error instanceof Error && error.message ? error : new Error(String(error))));
    this.worker.on('exit', () => {
      if (!this.stopped) onExit(failure ?? new Error('the checkpointer thread exited'));
      this.stopped = true;
    });
  }

  /** What the thread has done so far; null once it has stopped. */
  async stats(): Promise<CheckpointStats | null> {
    if (this.stopped) return null;
    const reply = await this.request('stats', 'stats', 1_000);
    return reply?.type === 'stats' ? reply.stats : null;
  }

  /** Stops the thread and closes its connection (before the writer closes its own). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    const reply = await this.request('stop', 'stopped', 2_000);
    this.stopped = true;
    if (!reply) await this.worker.terminate();
  }

  private request(message: string, reply: FromWorker['type'], timeoutMs: number): Promise<FromWorker | null> {
    return new Promise((resolve) => {
      const done = (value: FromWorker | null) => {
        clearTimeout(timer);
        this.worker.off('exit', onExit);
        this.waiting.delete(onMessage);
        resolve(value);
      };
      const onMessage = (value: FromWorker) => value.type === reply && done(value);
      const onExit = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      this.waiting.add(onMessage);
      this.worker.once('exit', onExit);
      this.worker.postMessage(message);
    });
  }
}
