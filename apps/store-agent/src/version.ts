import { readFileSync } from 'node:fs';

/** The repository's package.json: three levels up from the sources, four from dist/. */
const CANDIDATES = ['../../../package.json', '../../../../package.json'];

function readVersion(): string {
  for (const candidate of CANDIDATES) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pos-fleet' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next layout
    }
  }
  return '0.0.0';
}

/** The agent's software version, reported at registration and in every heartbeat. */
export const AGENT_VERSION = readVersion();
