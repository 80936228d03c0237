import type { z } from 'zod';

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `payload.items[2].priceCents`; empty for the root. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Thrown when input from outside (an HTTP body, a socket message, a queue payload, an env variable)
 * does not match its contract. Each transport maps it to its own wire shape.
 */
export class ContractValidationError extends Error {
  constructor(
    readonly issues: readonly ValidationIssue[],
    readonly subject = 'input',
  ) {
    super(`Invalid ${subject}: ${issues.map(formatIssue).join('; ')}`);
    this.name = 'ContractValidationError';
  }
}

export function formatIssue(issue: ValidationIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export function toValidationIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path, prefix),
    code: issue.code,
    message: issue.message,
  }));
}
