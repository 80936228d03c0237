import { formatPath } from '@app/contracts';
import { ApiError } from '../api/api-error.js';

/** Field errors by dotted path (`items[2].priceCents`), first message per field. */
export type FieldErrors = Record<string, string>;

/** Client-side: a zod error's issues by path (with a prefix stripped, e.g. `payload.`). */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) out[formatPath(issue.path)] ??= issue.message;
  return out;
}

/**
 * Server-side: a 400 VALIDATION_FAILED's `details.issues` by path, with `prefix` (e.g. `payload.`)
 * removed so they land on the same fields as the client's own checks. Empty for any other error.
 */
export function serverFieldErrors(error: unknown, prefix: string): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    if (!issue.path.startsWith(prefix)) continue;
    out[issue.path.slice(prefix.length)] ??= issue.message;
  }
  return out;
}
