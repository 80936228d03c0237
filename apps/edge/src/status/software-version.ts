import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version of the software this hub runs: the root package.json's, found from this file both
 * in the sources and in dist/ (the image copies package.json next to dist/).
 */
export function readSoftwareVersion(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof pkg.version === 'string' && pkg.name === 'pos-fleet') return pkg.version;
    } catch {
      // no package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
