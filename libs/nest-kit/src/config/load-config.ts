import { z } from 'zod';

/** Thrown at start when the environment is wrong; its message names every bad variable at once. */
export class ConfigError extends Error {
  constructor(
    readonly app: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for ${app}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN/;

function shown(name: string, value: unknown): string {
  if (value === undefined) return 'not set';
  if (SECRET_NAME.test(name)) return 'value hidden';
  const text = String(value);
  return `got "${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

/** The plain values of a config class: what its constructor takes. */
export type ConfigValues<T> = { [K in keyof T]: T[K] };

/** A rule across several variables, checked on the raw values so it reports even when fields fail. */
export type CrossCheck = (raw: Record<string, string | undefined>) => { variable: string; message: string }[];

/**
 * Validates an app's environment against its schema (keys are variable names) and its cross-checks,
 * and reports every problem at once. Empty strings count as unset, so `PORT=` in an env file falls
 * back to the default instead of failing oddly.
 */
export function loadConfig<S extends z.ZodObject>(
  app: string,
  schema: S,
  env: Record<string, string | undefined>,
  crossChecks: CrossCheck[] = [],
): z.output<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    input[key] = value === undefined || value.trim() === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(config)');
        return `${name}: ${issue.message} (${shown(name, input[name])})`;
      });
  for (const check of crossChecks) {
    for (const { variable, message } of check(input)) problems.push(`${variable}: ${message}`);
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(app, problems);
  return result.data;
}

/** Common variable shapes. */
export const env = {
  port: (fallback: number) =>
    z.coerce.number({ error: 'must be a port number' }).int('must be a port number').min(1, 'must be 1-65535').max(65535, 'must be 1-65535').default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  positiveInt: (fallback: number) =>
    z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(fallback),
  url: (protocols: string[]) =>
    z.string().refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    ),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' })
      .default('info'),
};
