import { spawn } from 'node:child_process';

export interface PromtoolReport {
  exitCode: number | null;
  /** What promtool printed (stdout and stderr): one line per problem, nothing when clean. */
  output: string;
}

/**
 * Runs Prometheus's own linter, `promtool check metrics`, on a text exposition (what a scrape of
 * /metrics returns). promtool comes from Debian's `prometheus` package; `bash
 * scripts/ensure-promtool.sh` installs it (scripts/test.sh runs it first). PROMTOOL_PATH overrides
 * the one on the PATH.
 */
export async function promtoolCheckMetrics(exposition: string): Promise<PromtoolReport> {
  const binary = process.env.PROMTOOL_PATH || 'promtool';
  return new Promise<PromtoolReport>((resolve, reject) => {
    const child = spawn(binary, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(`${binary} is missing: run \`bash scripts/ensure-promtool.sh\` (Debian's prometheus package), or set PROMTOOL_PATH`)
          : error,
      ),
    );
    child.once('close', (exitCode) => resolve({ exitCode, output: output.trim() }));
    child.stdin.on('error', () => undefined); // promtool may exit before reading all; its exit code tells
    child.stdin.end(exposition);
  });
}
