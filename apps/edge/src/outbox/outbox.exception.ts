import { AppException } from '@app/nest-kit';

export type OutboxErrorCode = 'CURSOR_BACKWARDS' | 'CURSOR_AHEAD';

export class OutboxException extends AppException {
  /** The cloud cursor only moves forward: what the cloud acknowledged as durable stays acknowledged. */
  static backwards(cursor: number, cloudCursor: number): OutboxException {
    return new OutboxException('CURSOR_BACKWARDS', `the cloud cursor is at ${cloudCursor}; it never moves back to ${cursor}`, 409, { cloudCursor });
  }

  static ahead(cursor: number, latestSeq: number): OutboxException {
    return new OutboxException('CURSOR_AHEAD', `cursor ${cursor} is past the hub's latest seq ${latestSeq}`, 422, { latestSeq });
  }

  private constructor(code: OutboxErrorCode, message: string, status: number, details?: unknown) {
    super(code, message, status, details);
  }
}
