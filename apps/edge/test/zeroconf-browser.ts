import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot, waitFor } from '@app/testing';

/** Debian's Python, which python3-zeroconf installs into (a pyenv or venv python would not see it). */
export const ZEROCONF_PYTHON = process.env.ZEROCONF_PYTHON ?? '/usr/bin/python3';

export interface ZeroconfService {
  port: number;
  /** The SRV target, as python-zeroconf spells it (with the root's dot: `hub.local.`). */
  server: string;
  addresses: string[];
  txt: Record<string, string | null>;
}

export type ZeroconfChange = { event: 'ready' } | { event: 'added'; name: string; info: ZeroconfService | null } | { event: 'removed'; name: string };

/** Fails with the fix when python3-zeroconf is not installed (scripts/test.sh installs it). */
export function requireZeroconf(): void {
  const probe = spawnSync(ZEROCONF_PYTHON, ['-c', 'import zeroconf'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `python3-zeroconf is missing for ${ZEROCONF_PYTHON}: run \`bash scripts/ensure-mdns-tools.sh\` (scripts/test.sh does) or \`apt-get ` +
        `install -y python3-zeroconf\` (${(probe.stderr || String(probe.error)).trim()})`,
    );
  }
}

/**
 * A DNS-SD browser of another implementation than the hub's (python-zeroconf, in a child process:
 * apps/edge/test/zeroconf-browse.py), on one interface only. Every change it sees is kept in
 * `changes`, in order.
 */
export class ZeroconfBrowser {
  readonly changes: ZeroconfChange[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';

  private constructor(networkInterface: string, serviceType: string, maxSeconds: number) {
    const script = path.join(repoRoot(), 'apps/edge/test/zeroconf-browse.py');
    this.child = spawn(ZEROCONF_PYTHON, [script, networkInterface, serviceType, String(maxSeconds)], { stdio: 'pipe' });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => this.changes.push(JSON.parse(line) as ZeroconfChange));
  }

  /** Starts browsing `serviceType` (e.g. `_poshub._tcp.local.`) and resolves once zeroconf listens. */
  static async start(networkInterface: string, serviceType: string, maxSeconds = 120): Promise<ZeroconfBrowser> {
    const browser = new ZeroconfBrowser(networkInterface, serviceType, maxSeconds);
    await browser.waitFor(() => browser.changes.some((c) => c.event === 'ready'), 'python-zeroconf to start');
    return browser;
  }

  /** Waits for a condition on what the browser has seen; a failure says what it saw and printed. */
  waitFor<T>(check: () => T, what: string, timeoutMs = 15_000): Promise<Exclude<T, false | undefined | null>> {
    return waitFor(
      () => {
        if (this.child.exitCode !== null) throw new Error(`python-zeroconf exited (${this.child.exitCode}): ${this.stderr.trim()}`);
        return check();
      },
      { timeoutMs, what: `${what} (python-zeroconf saw ${JSON.stringify(this.changes)}${this.stderr ? `, stderr: ${this.stderr.trim()}` : ''})` },
    );
  }

  /** Closes the browser's stdin, which stops it, and waits for it to exit (killing it after 5 s). */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
