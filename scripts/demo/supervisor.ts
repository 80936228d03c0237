import { spawn, type ChildProcess } from 'node:child_process';
import { nodeArgsFor } from '@app/testing';

export interface Supervised {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];

/** Starts and stops the demo's processes, prefixing what each prints with its name. */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private color = 0;

  start(name: string, entry: string, env: Record<string, string>, options: { quiet?: boolean } = {}): Supervised {
    const child = spawn(process.execPath, nodeArgsFor(entry), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = `${COLORS[this.color++ % COLORS.length]}[${name}]\x1b[0m `;
    const forward = (chunk: Buffer) => {
      if (options.quiet) return;
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) process.stdout.write(`${prefix}${line}\n`);
    };
    child.stdout!.on('data', forward);
    child.stderr!.on('data', forward);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const supervised = { name, child, exited };
    this.children.push(supervised);
    return supervised;
  }

  /** Runs a one-shot command to its end and returns what it printed on stdout. */
  async run(name: string, entry: string, env: Record<string, string>): Promise<string> {
    const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${out}`);
    return out;
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.children].reverse().map(async ({ child, exited }) => {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

export async function waitHealthy(url: string, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become healthy at ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
