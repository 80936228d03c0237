// Compiles the server apps and libs to dist/ with SWC: one .js per .ts, same layout, path aliases
// rewritten to relative imports (see .swcrc). Type checking is `npm run typecheck`; the backoffice
// is built by Vite (apps/backoffice).
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const sources = ['apps/cloud/src', 'apps/edge/src', 'apps/store-agent/src', 'libs', 'bench', 'scripts/demo', 'scripts/keys'];
const skip = /\.(spec|test)\.ts$|\.d\.ts$/;

async function listTs(dir) {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !skip.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((f) => !f.split(path.sep).includes('node_modules'));
}

const started = Date.now();
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
console.log(`built ${files.length} files to dist/ in ${Date.now() - started} ms`);
