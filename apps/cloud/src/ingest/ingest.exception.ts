import { MAX_INGEST_BATCH } from '@app/contracts';
import { AppException } from '@app/nest-kit';

export type IngestErrorCode = 'BATCH_TOO_LARGE';

export class IngestException extends AppException {
  static batchTooLarge(size: number, max = MAX_INGEST_BATCH): IngestException {
    return new IngestException('BATCH_TOO_LARGE', `a batch holds at most ${max} events, this one ${size}: split it`, 413, { maxEvents: max });
  }

  private constructor(code: IngestErrorCode, message: string, status: number, details?: unknown) {
    super(code, message, status, details);
  }
}
