import { AppException } from '@app/nest-kit';

export type RevisionsErrorCode = 'REVISION_CONFLICT';

export class RevisionsException extends AppException {
  /** The 409 StaleRevisionBody: another revision was published since the operator loaded theirs. */
  static stale(expected: number, currentRevision: number): RevisionsException {
    return new RevisionsException('REVISION_CONFLICT', `the store is at revision ${currentRevision}, not ${expected}: reload and edit again`, 409, { currentRevision });
  }

  private constructor(code: RevisionsErrorCode, message: string, status: number, details?: unknown) {
    super(code, message, status, details);
  }
}
