import { AppException } from '@app/nest-kit';

export const DEPENDENCY_UNAVAILABLE_CODES = { database: 'DATABASE_UNAVAILABLE', redis: 'REDIS_UNAVAILABLE' } as const;
export type Dependency = keyof typeof DEPENDENCY_UNAVAILABLE_CODES;

/** What a client is told to wait before trying again (Retry-After and details.retryAfterSeconds). */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

const WHAT: Record<Dependency, string> = { database: 'the database', redis: 'Redis' };

/**
 * 503: MySQL or Redis cannot be reached right now. The request did nothing it could not do again:
 * the client keeps its session or credentials and retries after `retryAfterSeconds`.
 */
export class DependencyUnavailableException extends AppException {
  constructor(
    readonly dependency: Dependency,
    readonly retryAfterSeconds = OUTAGE_RETRY_AFTER_SECONDS,
  ) {
    super(
      DEPENDENCY_UNAVAILABLE_CODES[dependency],
      `the service is temporarily unavailable (${WHAT[dependency]} cannot be reached): retry in ${retryAfterSeconds} s`,
      503,
      { retryAfterSeconds },
    );
  }
}
