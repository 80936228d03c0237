import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../net/free-port.js';
import { waitFor } from '../wait-for.js';

const BINARY = process.env.REDIS_SERVER_PATH ?? 'redis-server';

/**
 * A private redis-server on a free port of 127.0.0.1, for fault tests that stop, kill or restart
 * Redis: the shared server other test files use is never touched. Nothing is kept on disk, so a
 * restart comes back empty, as a Redis without persistence (or with a lost volume) does.
 */
export class RedisServer {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts it (again) on its port, empty, and waits until it answers PING. */
  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      BINARY,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`cannot run ${BINARY} (install redis-server, or set REDIS_SERVER_PATH): ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${stderr}`)));
    });
    failed.catch(() => undefined);
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    await Promise.race([failed, waitFor(() => this.ping(), { timeoutMs: 10_000, intervalMs: 20, what: `redis-server on port ${this.port}` })]);
  }

  /** SIGKILL: the server is gone at once, with whatever it held (a crash, an OOM kill). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Killed and started again on the same port: a Redis that restarted empty. */
  async restartEmpty(): Promise<void> {
    await this.kill();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.kill();
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
