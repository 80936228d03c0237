import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { waitFor } from '@app/testing';
import { EXIT_CONFIG, EXIT_REVOKED } from '../../apps/store-agent/src/common/agent-errors.js';
import { ENTRYPOINT, startEntrypoint, type EntrypointProcess } from './entrypoint-process.js';

/** A stand-in app: a real Node process that does what `script` says. */
const app = (script: string) => ['node', '-e', script];

describe('docker/app-entrypoint.sh', () => {
  const running: EntrypointProcess[] = [];
  const start = (command: string[], env: Record<string, string | undefined> = {}) => {
    const proc = startEntrypoint(command, env);
    running.push(proc);
    return proc;
  };

  // SIGTERM, not SIGKILL: a parked entrypoint then also ends its `sleep`, which holds the output pipes.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => (p.child.exitCode === null && p.child.signalCode === null ? p.signal('SIGTERM') : p.exited)));
  });

  it('should be an executable POSIX sh script', () => {
    expect(readFileSync(ENTRYPOINT, 'utf8').startsWith('#!/bin/sh\n')).toBe(true);
  });

  describe('an app that ends with a code worth a restart', () => {
    it.each([
      ['a crash', 'process.exit(1)', 1],
      ['an uncaught error', 'throw new Error("boom")', 1],
      ['a clean end', 'process.exit(0)', 0],
      ['an exit code it does not list', 'process.exit(3)', 3],
      ['SIGKILL (the kernel OOM killer)', 'process.kill(process.pid, "SIGKILL")', 137],
    ])('should end with the same code after %s, so that Docker restarts it', async (_what, script, code) => {
      const proc = start(app(script));
      expect(await proc.exited).toBe(code);
      expect(proc.output()).not.toContain('app-entrypoint');
    });
  });

  describe('an app that ends with a final code', () => {
    it(`should park on ${EXIT_CONFIG} (EX_CONFIG) by default, log one JSON line, and stop at once on SIGTERM`, async () => {
      const proc = start(app('console.error("cloud: bad environment:\\n  - AUTH_JWT_SECRET: must be at least 32 characters"); process.exit(78)'));
      const line = await proc.parked();
      expect(line).toMatchObject({ level: 60, app: 'app-entrypoint', exitCode: EXIT_CONFIG });
      expect(line.msg).toContain('EX_CONFIG');
      expect(line.msg).toContain('Not restarting it');
      expect(typeof line.time).toBe('number');
      expect(line.hostname).toBe(hostname());
      // The app's own message comes first, and every line the entrypoint adds is JSON.
      expect(proc.output().indexOf('AUTH_JWT_SECRET')).toBeLessThan(proc.output().indexOf('app-entrypoint'));
      expect(
        proc
          .output()
          .split('\n')
          .filter((l) => l.includes('app-entrypoint')),
      ).toHaveLength(1);
      expect(await proc.signal('SIGTERM')).toBe(0);
    });

    it(`should park on the agent's ${EXIT_REVOKED} (revoked) when FINAL_EXIT_CODES lists it, and stop on SIGINT too`, async () => {
      const proc = start(app(`process.exit(${EXIT_REVOKED})`), { FINAL_EXIT_CODES: `${EXIT_REVOKED} ${EXIT_CONFIG}` });
      const line = await proc.parked();
      expect(line).toMatchObject({ exitCode: EXIT_REVOKED });
      expect(line.msg).toContain('revoked');
      expect(await proc.signal('SIGINT')).toBe(0);
    });

    it('should escape the command line in its JSON line', async () => {
      const proc = start(app('/* "quoted" \\ back\tslash */ process.exit(78)'));
      const line = await proc.parked();
      expect(line.command).toBe('node -e /* "quoted" \\ back slash */ process.exit(78)');
      expect(await proc.signal('SIGTERM')).toBe(0);
    });

    it('should pass 78 through when FINAL_EXIT_CODES is empty (the one-shot migration, which compose must see fail)', async () => {
      const proc = start(app('process.exit(78)'), { FINAL_EXIT_CODES: '' });
      expect(await proc.exited).toBe(78);
    });
  });

  describe('signals', () => {
    it('should pass SIGTERM on to the app and wait for its graceful shutdown, however long, then end with its code', async () => {
      const proc = start(
        app(
          'process.on("SIGTERM", () => { console.log("draining"); setTimeout(() => process.exit(0), 300); }); console.log("ready"); ' +
            'setInterval(() => {}, 1000);',
        ),
      );
      await waitForOutput(proc, 'ready');
      expect(await proc.signal('SIGTERM')).toBe(0);
      expect(proc.output()).toContain('draining');
    });

    it('should not park when it was asked to stop, even if the app then ends with a final code', async () => {
      const proc = start(app('process.on("SIGTERM", () => process.exit(78)); console.log("ready"); setInterval(() => {}, 1000);'));
      await waitForOutput(proc, 'ready');
      expect(await proc.signal('SIGTERM')).toBe(78);
      expect(proc.output()).not.toContain('app-entrypoint');
    });

    it('should end with 128 + 15 when the app has no SIGTERM handler', async () => {
      const proc = start(app('console.log("ready"); setInterval(() => {}, 1000);'));
      await waitForOutput(proc, 'ready');
      expect(await proc.signal('SIGTERM')).toBe(143);
    });
  });

  it('should refuse to run without a command', async () => {
    const proc = start([]);
    expect(await proc.exited).toBe(64);
    expect(proc.output()).toContain('no command to run');
  });
});

async function waitForOutput(proc: EntrypointProcess, text: string): Promise<void> {
  await waitFor(() => proc.output().includes(text), { what: `"${text}" in the output` });
}
