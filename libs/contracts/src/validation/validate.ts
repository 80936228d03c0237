import type { z } from 'zod';
import { ContractValidationError, toValidationIssues, type ValidationIssue } from './validation-error.js';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/**
 * The one validation entry point for every transport: HTTP bodies, socket messages and queue
 * payloads are all checked by the same schemas through this function.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, pathPrefix = ''): ValidationResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: toValidationIssues(result.error, pathPrefix) };
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, subject = 'input'): z.output<S> {
  const result = validate(schema, input);
  if (!result.ok) throw new ContractValidationError(result.issues, subject);
  return result.value;
}
