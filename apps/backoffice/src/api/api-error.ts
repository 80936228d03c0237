import type { ValidationIssue } from '@app/contracts';

/** The error body of every cloud route: `{statusCode, code, message, details?}` (SYSTEM.md section 6). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The validation issues of a 400 VALIDATION_FAILED, by dotted path (`payload.items[2].priceCents`). */
  get issues(): ValidationIssue[] {
    const issues = (this.details as { issues?: unknown } | undefined)?.issues;
    return Array.isArray(issues) ? (issues as ValidationIssue[]) : [];
  }
}
