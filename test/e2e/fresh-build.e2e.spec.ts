import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import {
  createRedisPrefix,
  createTempDir,
  createTestDatabase,
  deleteRedisPrefix,
  freePort,
  repoRoot,
  testRedisUrl,
  waitFor,
  type TempDir,
  type TestDatabase,
} from '@app/testing';

/**
 * What a new user does after installing: `npm run build`, then `npm run db:migrate` and
 * `npm run start:cloud`, in a copy of the tracked files only (no dist/, no generated Prisma client,
 * no backoffice build), with the installed packages linked in. The build alone must produce
 * everything the start scripts need, and running it must not change a tracked file.
 */
describe('a fresh checkout built with npm run build', () => {
  let copy: TempDir;
  let db: TestDatabase;
  const redisPrefix = createRedisPrefix('fresh-build');
  let tracked: string[];
  let cloud: ReturnType<typeof spawn> | null = null;

  const digest = async (file: string) =>
    createHash('sha256')
      .update(await readFile(path.join(copy.path, file)))
      .digest('hex');
  const npm = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('npm', args, { cwd: copy.path, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 240_000 });

  beforeAll(async () => {
    copy = await createTempDir('fresh-build');
    db = await createTestDatabase('fresh_build', { migrate: false });
    tracked = spawnSync('git', ['ls-files', '-z'], { cwd: repoRoot(), encoding: 'utf8' })
      .stdout.split('\0')
      .filter((file) => file && existsSync(path.join(repoRoot(), file)));
    for (const file of tracked) {
      await mkdir(path.dirname(path.join(copy.path, file)), { recursive: true });
      await copyFile(path.join(repoRoot(), file), path.join(copy.path, file));
    }
    await symlink(path.join(repoRoot(), 'node_modules'), path.join(copy.path, 'node_modules'), 'dir');
  });

  afterAll(async () => {
    // npm and the node it started are one process group (detached): stop them both.
    if (cloud?.pid && cloud.exitCode === null) {
      const exited = new Promise((resolve) => cloud!.once('exit', resolve));
      process.kill(-cloud.pid, 'SIGTERM');
      await exited;
    }
    await Promise.all([copy.remove(), db.drop(), deleteRedisPrefix(redisPrefix)]);
  });

  it('should build the Prisma client, the server apps and the backoffice, timing each step, and change no tracked file', async () => {
    expect(existsSync(path.join(copy.path, 'apps/cloud/src/database/generated'))).toBe(false);
    const before = await Promise.all(tracked.map(digest));

    const build = npm(['run', '-s', 'build']);

    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    expect(build.stdout).toMatch(/^built: the Prisma client in \d+ ms$/m);
    expect(build.stdout).toMatch(/^built: the server apps \(\d+ files to dist\/\) in \d+ ms$/m);
    expect(build.stdout).toMatch(/^built: the backoffice \(apps\/backoffice\/dist\) in \d+ ms$/m);
    for (const output of [
      'apps/cloud/src/database/generated/client.ts',
      'dist/apps/cloud/src/main.js',
      'dist/apps/edge/src/main.js',
      'dist/apps/store-agent/src/main.js',
      'apps/backoffice/dist/index.html',
    ]) {
      expect(existsSync(path.join(copy.path, output))).toBe(true);
    }
    const after = await Promise.all(tracked.map(digest));
    expect(tracked.filter((_, i) => after[i] !== before[i])).toEqual([]);
  });

  it('should then migrate and start the cloud from the built output, serving the API and the backoffice', async () => {
    const migrate = npm(['run', '-s', 'db:migrate'], { DATABASE_URL: db.url });
    expect(migrate.status).toBe(0);

    const port = await freePort();
    cloud = spawn('npm', ['run', '-s', 'start:cloud'], {
      cwd: copy.path,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        DATABASE_URL: db.url,
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: redisPrefix,
        DEV_KEYS_FILE: path.join(copy.path, '.data/keys.json'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    cloud.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cloud.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    await waitFor(async () => cloud!.exitCode === null && (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, {
      timeoutMs: 30_000,
      what: `the cloud to answer /healthz (output: ${output})`,
    });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(output).not.toContain('ERR_MODULE_NOT_FOUND');
    expect(output).not.toContain('no backoffice build');
  });
});
