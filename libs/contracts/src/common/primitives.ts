import { z } from 'zod';

/** Tenant, store, device and node identifiers: short, printable, safe in URLs, logs and file names. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be 1-64 letters, digits, or _ . : - (starting with a letter or digit)');

export const uuidSchema = z.uuid();

/**
 * Instants every store and the cloud accept, in UTC once the offset is applied: from 2000-01-01
 * (inclusive) to 2100-01-01 (exclusive). Wider than any till's clock should be, narrow enough for
 * every column and driver (mysql2 threw on a date before year 0; DATETIME stops at 9999).
 */
export const MIN_INSTANT = '2000-01-01T00:00:00.000Z';
export const MAX_INSTANT = '2100-01-01T00:00:00.000Z';
const MIN_INSTANT_MS = Date.parse(MIN_INSTANT);
const MAX_INSTANT_MS = Date.parse(MAX_INSTANT);

export function isInstantInRange(iso: string): boolean {
  const ms = Date.parse(iso);
  return ms >= MIN_INSTANT_MS && ms < MAX_INSTANT_MS;
}

export const isoDateTimeSchema = z.iso
  .datetime({ offset: true })
  .refine(isInstantInRange, `must be from ${MIN_INSTANT} up to (not including) ${MAX_INSTANT} in UTC`);

export const positiveIntSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const nonNegativeIntSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The largest value of a signed INT column (versions, revisions, counts); BIGINT columns take safe integers. */
export const INT32_MAX = 2_147_483_647;
export const positiveInt32Schema = z.number().int().min(1).max(INT32_MAX);
export const nonNegativeInt32Schema = z.number().int().min(0).max(INT32_MAX);

/** A string without lone UTF-16 surrogates: canonical JSON, hashing and utf8mb4 columns all need that. */
export function isWellFormedText(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}

export const WELL_FORMED_MESSAGE = 'must be well-formed UTF-16 (no lone surrogate)';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON nested deeper than this (objects and arrays, the outermost counting 1) is refused: an
 * attacker's deep body must not exhaust the stack, and every store must take what is accepted.
 * MariaDB's json_valid refuses 32 levels, and payloads sit a level or two down in what is stored
 * (an event's body, a revision's state), so 16 leaves room.
 */
export const MAX_JSON_DEPTH = 16;

interface JsonProblem {
  path: (string | number)[];
  message: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The first place where `value` is not JSON. One plain recursive walk: every event, command and
 * revision payload passes here, and a union of schemas tried in turn cost several times more.
 */
function jsonProblem(value: unknown, path: (string | number)[], depth: number): JsonProblem | null {
  switch (typeof value) {
    case 'string':
      return isWellFormedText(value) ? null : { path, message: WELL_FORMED_MESSAGE };
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : { path, message: 'must be a finite number' };
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_JSON_DEPTH) return { path, message: `must not be nested more than ${MAX_JSON_DEPTH} levels deep` };
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i += 1) {
          const problem = jsonProblem(value[i], [...path, i], depth + 1);
          if (problem) return problem;
        }
        return null;
      }
      if (!isPlainObject(value)) return { path, message: 'must be a JSON value' };
      for (const key of Object.keys(value)) {
        if (!isWellFormedText(key)) return { path: [...path, key], message: `key ${WELL_FORMED_MESSAGE}` };
        const problem = jsonProblem(value[key], [...path, key], depth + 1);
        if (problem) return problem;
      }
      return null;
    }
    default:
      return { path, message: 'must be a JSON value' };
  }
}

export const jsonValueSchema: z.ZodType<JsonValue> = z
  .custom<JsonValue>()
  .superRefine((value, ctx) => {
    const problem = jsonProblem(value, [], 0);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  })
  .meta({ description: 'any JSON value' });

/** A JSON object (string keys, JSON values); the value passes through as it came, not copied. */
export const jsonObjectSchema: z.ZodType<Record<string, JsonValue>> = z
  .custom<Record<string, JsonValue>>()
  .superRefine((value, ctx) => {
    if (!isPlainObject(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return;
    }
    const problem = jsonProblem(value, [], 0);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  })
  // How documentation generators (OpenAPI) describe it; validation is the refinement above.
  .meta({ type: 'object', description: 'a JSON object' });

const utf8 = new TextEncoder();

/** Byte length of a value once serialised as JSON; used for size limits. */
export function jsonByteLength(value: unknown): number {
  return utf8.encode(JSON.stringify(value) ?? '').length;
}
