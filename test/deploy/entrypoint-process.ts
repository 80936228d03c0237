import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, waitFor } from '@app/testing';

/** The images' entrypoint (docker/app-entrypoint.sh), run here as Docker runs it: `sh` is dash, as in Debian's images. */
export const ENTRYPOINT = path.join(repoRoot(), 'docker/app-entrypoint.sh');

export interface EntrypointProcess {
  child: ChildProcess;
  output(): string;
  /** The exit code, or 128 + the signal number when a signal ended it (as a shell reports it). */
  exited: Promise<number>;
  /** Resolves with the JSON line once the entrypoint has parked: the app has ended and only its `sleep` is left. */
  parked(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends `signal` and resolves with the exit code. */
  signal(signal: NodeJS.Signals): Promise<number>;
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startEntrypoint(command: string[], env: Record<string, string | undefined> = {}): EntrypointProcess {
  const child = spawn('sh', [ENTRYPOINT, ...command], {
    cwd: repoRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number>((resolve) => child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (SIGNALS[signal] ?? 0) : 0))));

  const parkLine = () =>
    output
      .split('\n')
      .filter((line) => line.includes('"app":"app-entrypoint"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .at(-1);

  return {
    child,
    output: () => output,
    exited,
    async parked(timeoutMs = 10_000) {
      return waitFor(
        () => {
          if (child.exitCode !== null || child.signalCode !== null)
            throw new Error(`the entrypoint exited (${child.exitCode ?? child.signalCode}):\n${output}`);
          const line = parkLine();
          return line && onlySleepIsLeft(child.pid!) ? line : undefined;
        },
        { timeoutMs, what: `the entrypoint to park; output so far:\n${output}` },
      );
    },
    async signal(signal) {
      child.kill(signal);
      return exited;
    },
  };
}

function onlySleepIsLeft(pid: number): boolean {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.length === 1 && readFileSync(`/proc/${children[0]}/comm`, 'utf8').trim() === 'sleep';
}
