// `npm run build`: everything the `start:*` scripts need, in three steps, each timed:
//   1. the Prisma client (apps/cloud/src/database/generated), generated when missing or older than
//      prisma/schema.prisma: the cloud's sources import it, so it precedes the compile;
//   2. the server apps, libs, benchmarks and scripts, compiled to dist/ with SWC: one .js per .ts,
//      same layout, path aliases rewritten to relative imports (see .swcrc);
//   3. the backoffice, built by Vite to apps/backoffice/dist (the cloud serves it at /).
// `--server` stops after step 2 (scripts/ensure-built.mjs, for db:migrate, db:seed and the
// benchmarks). Type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const serverOnly = process.argv.includes('--server');
const sources = ['apps/cloud/src', 'apps/edge/src', 'apps/store-agent/src', 'libs', 'bench', 'scripts/demo', 'scripts/keys'];
const skip = /\.(spec|test)\.ts$|\.d\.ts$/;

async function step(label, run) {
  const started = Date.now();
  const detail = await run();
  console.log(`built: ${label}${detail ? ` (${detail})` : ''} in ${Date.now() - started} ms`);
}

function prismaClientStale() {
  const client = path.join(root, 'apps/cloud/src/database/generated/client.ts');
  if (!existsSync(client)) return true;
  return statSync(client).mtimeMs < statSync(path.join(root, 'prisma/schema.prisma')).mtimeMs;
}

function generatePrismaClient() {
  // Prisma's CLI wants its native schema engine on every command, and generate does not use it:
  // any executable will do where the engine cannot be downloaded (ENVIRONMENT.md). An engine the
  // caller points at is kept.
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true' };
  const prisma = path.join(root, 'node_modules', '.bin', 'prisma');
  const result = spawnSync(prisma, ['generate'], { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`prisma generate failed (exit ${result.status ?? result.signal ?? result.error?.message})`);
  }
}

async function listTs(dir) {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !skip.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((f) => !f.split(path.sep).includes('node_modules'));
}

async function compileServer() {
  await rm(path.join(root, 'dist'), { recursive: true, force: true });
  const files = (await Promise.all(sources.map(listTs))).flat();
  await Promise.all(
    files.map(async (file) => {
      const out = path.join(root, 'dist', file.replace(/\.ts$/, '.js'));
      const { code, map } = await transformFile(path.join(root, file), {
        configFile: path.join(root, '.swcrc'),
        sourceFileName: path.relative(path.dirname(out), path.join(root, file)),
      });
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
      if (map) await writeFile(`${out}.map`, map);
    }),
  );
  return `${files.length} files to dist/`;
}

async function buildBackoffice() {
  // Vite bundles React's development build when NODE_ENV says so (a shell that sourced .env, a
  // test runner): what the cloud serves is always the production build.
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'apps/backoffice/vite.config.ts'), logLevel: 'warn' });
  return 'apps/backoffice/dist';
}

try {
  if (prismaClientStale()) await step('the Prisma client', () => generatePrismaClient());
  await step('the server apps', compileServer);
  if (!serverOnly) await step('the backoffice', buildBackoffice);
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
