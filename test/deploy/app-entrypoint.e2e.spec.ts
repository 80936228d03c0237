import { existsSync } from 'node:fs';
import path from 'node:path';
import { generateEs256KeyPair } from '@app/crypto';
import { createTempDir, freePort, nodeArgsFor, repoRoot, waitFor, type TempDir } from '@app/testing';
import { startEntrypoint, type EntrypointProcess } from './entrypoint-process.js';

/** The built apps run through the images' entrypoint, with the command and FINAL_EXIT_CODES compose gives each. */
describe('the built apps under docker/app-entrypoint.sh', () => {
  let tmp: TempDir;
  const running: EntrypointProcess[] = [];
  const start = (entry: string, env: Record<string, string>) => {
    if (!existsSync(path.join(repoRoot(), entry))) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    const proc = startEntrypoint(['node', ...nodeArgsFor(entry)], { LOG_LEVEL: 'warn', ...env });
    running.push(proc);
    return proc;
  };

  beforeAll(async () => {
    tmp = await createTempDir('entrypoint-e2e');
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => (p.child.exitCode === null && p.child.signalCode === null ? p.signal('SIGTERM') : p.exited)));
    await tmp.remove();
  });

  it.each([
    [
      'cloud',
      'dist/apps/cloud/src/main.js',
      { NODE_ENV: 'production', PORT: '3000', DATABASE_URL: 'mysql://root@127.0.0.1:3306/pos_cloud' },
      ['AUTH_JWT_SECRET', 'COMMAND_SIGNING_KEY', 'CLUSTER_SIGNING_KEY'],
    ],
    ['edge', 'dist/apps/edge/src/main.js', { EDGE_DATA_DIR: '/data/edge', PORT: '4001' }, ['TENANT_ID', 'STORE_ID', 'CLUSTER_PUBLIC_KEY_BASE64']],
    [
      'agent',
      'dist/apps/store-agent/src/main.js',
      { EDGE_URL: 'http://127.0.0.1:4001', AGENT_DATA_DIR: '/data/agent', FINAL_EXIT_CODES: '3 78' },
      ['CLOUD_URL'],
    ],
  ])('should park the %s on a bad environment after the app names every bad variable, and stop on SIGTERM', async (_name, entry, env, missing) => {
    const proc = start(entry, env);
    const line = await proc.parked(20_000);
    expect(line).toMatchObject({ level: 60, exitCode: 78 });
    const output = proc.output();
    for (const variable of missing) expect(output.indexOf(`  - ${variable}: `)).toBeGreaterThanOrEqual(0);
    expect(output.indexOf(`  - ${missing[0]}: `)).toBeLessThan(output.indexOf('"app":"app-entrypoint"'));
    expect(await proc.signal('SIGTERM')).toBe(0);
  });

  it('should run a healthy edge, and pass docker stop (SIGTERM) on to it for a graceful shutdown', async () => {
    const port = await freePort();
    const proc = start('dist/apps/edge/src/main.js', {
      PORT: String(port),
      TENANT_ID: '6f1c2a4e-8a0b-4f4e-9d53-2b7f0e6c1a90',
      STORE_ID: 'c3d9e2b1-57a4-4c8e-a1f0-9b6d8e7f2c35',
      CLUSTER_PUBLIC_KEY_BASE64: generateEs256KeyPair().publicKeyBase64,
      EDGE_DATA_DIR: path.join(tmp.path, 'edge'),
      MDNS_ENABLED: 'false',
    });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok, {
      timeoutMs: 20_000,
      what: `the edge on ${port}:\n${proc.output()}`,
    });
    // Nest closes the app, then re-raises the signal: the shell reports 128 + 15.
    expect(await proc.signal('SIGTERM')).toBe(143);
    expect(proc.output()).not.toContain('app-entrypoint');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
