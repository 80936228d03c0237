import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repo-root.js';
import { waitFor } from '../wait-for.js';
import { nodeArgsFor } from './node-args.js';

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL at once: a crash or a power cut, as far as the process can tell. */
  kill9(): Promise<number | null>;
}

export interface StartOptions {
  name: string;
  /** Path of the built entry file relative to the repository root, e.g. dist/apps/edge/src/main.js. */
  entry: string;
  env?: Record<string, string>;
  /** Resolve once this URL answers 2xx. */
  readyUrl?: string;
  /** Or once the output matches this. */
  readyOutput?: RegExp;
  readyTimeoutMs?: number;
}

const MAX_OUTPUT = 200_000;

/** Starts a built app as a real child process, the way an operator runs it (its Node options included). */
export async function startAppProcess(options: StartOptions): Promise<AppProcess> {
  const entry = path.join(repoRoot(), options.entry);
  if (!existsSync(entry)) throw new Error(`${options.entry} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, nodeArgsFor(options.entry, entry), {
    cwd: repoRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? null : code))));
  let ended = false;
  void exited.then(() => (ended = true));

  const proc: AppProcess = {
    name: options.name,
    child,
    output: () => output,
    exited,
    async stop(graceMs = 5_000) {
      if (ended) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    async kill9() {
      if (!ended) child.kill('SIGKILL');
      return exited;
    },
  };

  if (options.readyUrl || options.readyOutput) {
    try {
      await waitFor(
        async () => {
          if (ended) throw new Error(`${options.name} exited early:\n${output}`);
          if (options.readyOutput) return options.readyOutput.test(output);
          const res = await fetch(options.readyUrl!).catch(() => null);
          return res?.ok ?? false;
        },
        { timeoutMs: options.readyTimeoutMs ?? 20_000, intervalMs: 50, what: `${options.name} to be ready` },
      );
    } catch (error) {
      await proc.kill9();
      throw new Error(`${(error as Error).message}\n--- ${options.name} output ---\n${output}`);
    }
  }
  return proc;
}
