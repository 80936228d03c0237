import type { SyncDomain } from '@app/contracts';
import { AppException } from '@app/nest-kit';

export type RevisionsErrorCode = 'REVISION_CONFLICT' | 'REVISION_TOO_LARGE';

/** What was too large: the change itself (the patch a command carries), or the state it leads to (what a snapshot carries). */
export interface RevisionTooLargeDetails {
  storeId: string;
  domain: SyncDomain;
  part: 'payload' | 'state';
  sizeBytes: number;
  limitBytes: number;
}

export class RevisionsException extends AppException {
  /** The 409 StaleRevisionBody: another revision was published since the operator loaded theirs. */
  static stale(expected: number, currentRevision: number): RevisionsException {
    return new RevisionsException('REVISION_CONFLICT', `the store is at revision ${currentRevision}, not ${expected}: reload and edit again`, 409, {
      currentRevision,
    });
  }

  /**
   * 413: the command would be larger than a hub accepts (MAX_COMMAND_ENVELOPE_BYTES). Refused at
   * publish, because the hub would refuse it on every try and block the domain behind it.
   */
  static tooLarge(details: RevisionTooLargeDetails): RevisionsException {
    const { domain, part, sizeBytes, limitBytes } = details;
    const message =
      part === 'payload'
        ? `the ${domain} change is ${sizeBytes} bytes, and a command to a store carries at most ${limitBytes} bytes: publish it in smaller parts`
        : `the ${domain} after this change would be ${sizeBytes} bytes, and a store receives its whole ${domain} as one command of at most ` +
          `${limitBytes} bytes (a snapshot, when it must be repaired): remove something first`;
    return new RevisionsException('REVISION_TOO_LARGE', message, 413, details);
  }

  private constructor(code: RevisionsErrorCode, message: string, status: number, details?: unknown) {
    super(code, message, status, details);
  }
}
