import { z } from 'zod';

/** Tenant, store, device and node identifiers: short, printable, safe in URLs, logs and file names. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be 1-64 letters, digits, or _ . : - (starting with a letter or digit)');

export const uuidSchema = z.uuid();
export const isoDateTimeSchema = z.iso.datetime({ offset: true });
export const positiveIntSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const nonNegativeIntSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite, 'must be a finite number'), z.boolean(), z.null(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

export const jsonObjectSchema = z.record(z.string(), jsonValueSchema);

const utf8 = new TextEncoder();

/** Byte length of a value once serialised as JSON; used for size limits. */
export function jsonByteLength(value: unknown): number {
  return utf8.encode(JSON.stringify(value) ?? '').length;
}
