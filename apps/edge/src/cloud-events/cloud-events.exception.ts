import type { AppendErrorCode } from '@app/contracts';
import { AppException } from '@app/nest-kit';

const STATUS: Record<AppendErrorCode, number> = {
  INVALID: 422,
  REALM_MISMATCH: 422,
  VERSION_CONFLICT: 409,
  LOCKED: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  CLOCK_EXHAUSTED: 503,
};

/** A refused cloud-side event: the event store's ack code, as an HTTP error with the ack's details. */
export class CloudEventRefusedException extends AppException {
  constructor(code: AppendErrorCode, message: string, details?: unknown) {
    super(code, message, STATUS[code], details);
  }
}
