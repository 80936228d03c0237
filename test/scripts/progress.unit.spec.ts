import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@app/testing';

/** scripts/progress.sh: what a first run prints while it installs and builds (never silent). */
describe('run_timed (scripts/progress.sh)', () => {
  const runTimed = (command: string, everySeconds: number) =>
    spawnSync('bash', ['-c', `set -euo pipefail; source scripts/progress.sh; run_timed "waiting for the step (a note)" ${command}`], {
      cwd: repoRoot(),
      env: { ...process.env, PROGRESS_EVERY_SECONDS: String(everySeconds) },
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('should name the step, say it is still going while it runs, show its output and time it', () => {
    const run = runTimed(`bash -c 'sleep 2.5; echo step output'`, 1);

    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('==> waiting for the step (a note)');
    expect(lines.filter((l) => /^ {4}\.\.\. still waiting for the step \(\d+ s\)$/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(lines).toContain('    step output');
    expect(lines.at(-1)).toMatch(/^ {4}done in [23] s$/);
  });

  it("should fail with the step's exit code and show what it printed when it fails", () => {
    const run = runTimed(`bash -c 'echo what went wrong >&2; exit 7'`, 1);

    expect(run.status).toBe(7);
    expect(run.stderr).toContain('what went wrong');
    expect(run.stderr).toMatch(/==> failed: waiting for the step \(exit 7, after \d+ s\)/);
    expect(run.stdout).not.toContain('done in');
  });
});

describe('scripts/install.sh', () => {
  it('should install with npm ci, which never rewrites the lockfile, and never with npm install', () => {
    const commands = readFileSync(path.join(repoRoot(), 'scripts/install.sh'), 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    expect(commands).toMatch(/\bnpm ci\b/);
    expect(commands).not.toMatch(/\bnpm (install|i)\b/);
  });
});
