// Builds the server side (the Prisma client and dist/) when dist/ is missing or older than the
// sources, so `npm run db:migrate`, `db:seed` and the benchmarks run what is in the tree (about a
// second). `npm run build` also builds the backoffice.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const marker = path.join(root, 'dist', 'apps', 'cloud', 'src', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.parentPath.includes('node_modules')) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
const sources = Math.max(
  statSync(path.join(root, 'prisma', 'schema.prisma')).mtimeMs,
  ...['apps', 'libs', 'bench', 'scripts'].filter((d) => existsSync(path.join(root, d))).map(newestSource),
);
if (built < sources) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--server'], { stdio: 'inherit' });
