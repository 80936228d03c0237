import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { setupApiDocs } from './api-docs.js';

/**
 * Redocly CLI, an OpenAPI linter nobody on the project wrote, pinned to one exact version (the
 * latest whose engines accept Node 20.19). npx installs it into ~/.npm the first time (from the
 * npm registry, the only network it needs), hence the generous timeout.
 */
const REDOCLY = '@redocly/cli@2.77.0';
const FIRST_DOWNLOAD_MS = 8 * 60_000;

interface RedoclyProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

/**
 * The warnings that remain, each for a reason; any other warning fails the test, so it is fixed or
 * added here with its reason.
 */
const ACCEPTED_WARNINGS = [
  // The project is private and has no licence to name.
  'info-license #/info',
  // These two answer no 4xx at all: /healthz reports failures as 503, /keys takes no input.
  'operation-4xx-response #/paths/~1healthz/get/responses',
  'operation-4xx-response #/paths/~1api~1v1~1keys/get/responses',
];

async function redoclyLint(url: string): Promise<{ totals: { errors: number; warnings: number }; problems: RedoclyProblem[] }> {
  const args = ['--prefer-offline', '-y', REDOCLY, 'lint', '--format=json', url];
  // Redocly's telemetry and update check would reach beyond the registry and this machine.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('npx', args, { env, timeout: FIRST_DOWNLOAD_MS, maxBuffer: 32 * 1024 * 1024 }));
  } catch (error) {
    // Redocly exits 1 when it finds errors; its report is on stdout all the same.
    const failed = error as { stdout?: string; stderr?: string; message: string };
    if (!failed.stdout?.trim().startsWith('{')) throw new Error(`npx ${args.join(' ')} failed: ${failed.message}\n${failed.stderr ?? ''}`);
    stdout = failed.stdout;
  }
  return JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: RedoclyProblem[] };
}

describe(`${setupApiDocs.name} (linted by ${REDOCLY})`, () => {
  let cloud: CloudTestApp;
  let url: string;

  beforeAll(async () => {
    cloud = await startCloudTestApp('api-docs-lint');
    await cloud.app.listen(0, '127.0.0.1');
    url = `${await cloud.app.getUrl()}/api/docs-json`.replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await cloud.close();
  });

  it(
    'should find no error in the document the running cloud serves, and only the accepted warnings',
    async () => {
      const report = await redoclyLint(url);
      const describe = (p: RedoclyProblem) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}`;
      expect(report.problems.filter((p) => p.severity === 'error').map((p) => `${describe(p)}: ${p.message}`)).toEqual([]);
      expect(report.totals.errors).toBe(0);
      expect(
        report.problems
          .filter((p) => p.severity === 'warn')
          .map(describe)
          .sort(),
      ).toEqual([...ACCEPTED_WARNINGS].sort());
    },
    FIRST_DOWNLOAD_MS + 60_000,
  );
});
