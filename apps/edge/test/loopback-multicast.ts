import { execFileSync } from 'node:child_process';

/**
 * Keeps the mDNS tests' multicast on the loopback interface (ENVIRONMENT.md): multicast enabled on
 * `lo` and 224.0.0.0/4 routed through it, so nothing is sent out of the machine's network card.
 * Needs root, as CI runs; an existing route is fine.
 */
export function enableLoopbackMulticast(): void {
  run(['link', 'set', 'lo', 'multicast', 'on']);
  run(['route', 'add', '224.0.0.0/4', 'dev', 'lo'], /File exists/);
}

function run(args: string[], tolerated?: RegExp): void {
  try {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    if (tolerated?.test(stderr)) return;
    throw new Error(`'ip ${args.join(' ')}' failed (the mDNS tests need root to keep multicast on loopback): ${stderr.trim() || (error as Error).message}`);
  }
}
