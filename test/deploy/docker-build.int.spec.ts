import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTempDir, type TempDir } from '@app/testing';
import { copyArgs, parseDockerfile, read, root } from './deployment-files.js';
import { DockerignoreMatcher, listBuildContext } from './dockerignore.js';

const run = promisify(execFile);
const DOCKERFILES = ['docker/cloud.Dockerfile', 'docker/edge.Dockerfile'];
const NPM_CI_DRY_RUN = ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'];

/**
 * What a Docker build without Docker can check: the context `.dockerignore` leaves, and the
 * `npm ci` step of each Dockerfile, run on exactly the files the Dockerfile copies before it.
 */
describe('the Docker builds', () => {
  const matcher = DockerignoreMatcher.fromFile(read('.dockerignore'));
  const context = listBuildContext(root, matcher);
  const inContext = new Set(context);

  describe('the build context', () => {
    const git = async (...args: string[]) => (await run('git', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 })).stdout.split('\n').filter(Boolean);

    it('should hold what the builds need: package*.json, prisma/, apps/, libs/, the build configuration and the entrypoint', () => {
      for (const file of [
        'package.json',
        'package-lock.json',
        'prisma/schema.prisma',
        'prisma.config.ts',
        'tsconfig.json',
        '.swcrc',
        'nest-cli.json',
        'scripts/build.mjs',
        'docker/app-entrypoint.sh',
        '.env.example',
      ]) {
        expect({ file, inContext: inContext.has(file) }).toEqual({ file, inContext: true });
      }
      for (const dir of ['prisma/migrations/', 'apps/cloud/src/', 'apps/edge/src/', 'apps/store-agent/src/', 'apps/backoffice/src/', 'libs/']) {
        expect({ dir, files: context.some((f) => f.startsWith(dir)) }).toEqual({ dir, files: true });
      }
    });

    it('should leave out node_modules, dist, .env files and local data wherever the checkout has them', () => {
      expect(context.filter((f) => /(^|\/)(node_modules|\.git)(\/|$)|^dist\/|^\.data\/|^data\/|(^|\/)\.env(\.(?!example$)|$)/.test(f))).toEqual([]);
      // This checkout has node_modules (the tests run from it) and so does every CI run.
      expect(matcher.excludes('node_modules/jest/package.json')).toBe(true);
      for (const file of ['.env', '.env.production', '.data/cloud-dev-keys.json', 'data/edge/hub.sqlite'])
        expect({ file, excluded: matcher.excludes(file) }).toEqual({ file, excluded: true });
    });

    it('should leave out everything git ignores here (build output, installs, secrets, local data)', async () => {
      const ignored = await git('ls-files', '--others', '--ignored', '--exclude-standard');
      expect(ignored.filter((f) => inContext.has(f))).toEqual([]);
    });

    it('should keep every file the repository tracks, but .gitignore', async () => {
      const tracked = await git('ls-files', '--cached');
      expect(tracked.filter((f) => !inContext.has(f))).toEqual(['.gitignore']);
    });

    it.each(DOCKERFILES)('should hold every file %s copies from the context', (file) => {
      for (const i of parseDockerfile(read(file)).filter((x) => x.keyword === 'COPY')) {
        const { flags, sources } = copyArgs(i.args);
        if (flags.from) continue;
        for (const source of sources.filter((s) => s !== '.')) expect({ source, inContext: inContext.has(source) }).toEqual({ source, inContext: true });
      }
    });
  });

  describe('the npm ci step', () => {
    let tmp: TempDir;

    beforeAll(async () => {
      tmp = await createTempDir('npm-ci');
    });

    afterAll(() => tmp.remove());

    /** Lays out, in `dir`, the context files each COPY before `RUN npm ci` brings, at its destination under WORKDIR. */
    function layOutNpmCiInputs(dockerfile: string, dir: string): string[] {
      const instructions = parseDockerfile(read(dockerfile));
      const ciAt = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
      expect(ciAt).toBeGreaterThan(0);
      const stage = instructions[ciAt]!.stage;
      let workdir = '/';
      const copied: string[] = [];
      for (const i of instructions.slice(0, ciAt).filter((x) => x.stage === stage)) {
        if (i.keyword === 'WORKDIR') workdir = path.posix.resolve(workdir, i.args);
        if (i.keyword !== 'COPY') continue;
        const { flags, sources, dest } = copyArgs(i.args);
        expect(flags.from).toBeUndefined();
        const target = path.posix.resolve(workdir, dest);
        for (const source of sources) {
          expect({ source, inContext: inContext.has(source) }).toEqual({ source, inContext: true });
          const into = dest.endsWith('/') ? path.posix.join(target, path.posix.basename(source)) : target;
          const local = path.join(dir, path.posix.relative(workdir, into));
          mkdirSync(path.dirname(local), { recursive: true });
          cpSync(path.join(root, source), local);
          copied.push(path.posix.relative(workdir, into));
        }
      }
      return copied.sort();
    }

    async function npmCiDryRun(dir: string): Promise<{ code: number; output: string }> {
      try {
        const { stdout, stderr } = await run('npm', NPM_CI_DRY_RUN, {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
          maxBuffer: 64 * 1024 * 1024,
        });
        return { code: 0, output: stdout + stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    }

    it('should copy exactly package.json and package-lock.json before npm ci, so that the install layer is cached', () => {
      for (const file of DOCKERFILES)
        expect({ file, copied: layOutNpmCiInputs(file, path.join(tmp.path, 'layout', path.basename(file))) }).toEqual({
          file,
          copied: ['package-lock.json', 'package.json'],
        });
    });

    it('should succeed for each Dockerfile on the files it copies: the lockfile is complete', async () => {
      const results = await Promise.all(
        DOCKERFILES.map(async (file) => {
          const dir = path.join(tmp.path, path.basename(file));
          layOutNpmCiInputs(file, dir);
          return { file, ...(await npmCiDryRun(dir)) };
        }),
      );
      for (const { file, code, output } of results) {
        expect({ file, code }).toEqual({ file, code: 0 });
        expect(output).toMatch(/added \d+ packages/);
      }
    }, 60_000);

    it('should fail, as the images would, when the lockfile misses an other-platform optional package', async () => {
      const dir = path.join(tmp.path, 'incomplete');
      layOutNpmCiInputs(DOCKERFILES[0]!, dir);
      const lockPath = path.join(dir, 'package-lock.json');
      const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, unknown> };
      const missing = Object.keys(lock.packages).find((name) => name.startsWith('node_modules/@swc/core-') && name !== 'node_modules/@swc/core-linux-x64-gnu')!;
      expect(missing).toBeDefined();
      delete lock.packages[missing];
      writeFileSync(lockPath, JSON.stringify(lock, null, 2));
      const { code, output } = await npmCiDryRun(dir);
      expect(code).not.toBe(0);
      expect(output).toContain('EUSAGE');
      expect(output).toContain(`Missing: ${missing.replace('node_modules/', '')}@`);
    }, 60_000);
  });
});
