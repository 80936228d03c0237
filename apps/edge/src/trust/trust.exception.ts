import { AppException } from '@app/nest-kit';

export type TrustErrorCode = 'SIGNING_KEYS_INVALID' | 'SIGNING_KEYS_STALE' | 'REVOCATIONS_INVALID' | 'WRONG_STORE';

export class TrustException extends AppException {
  static invalid(message: string): TrustException {
    return new TrustException('SIGNING_KEYS_INVALID', `signing-keys token refused: ${message}`, 422);
  }

  static stale(iat: number, heldIat: number): TrustException {
    return new TrustException('SIGNING_KEYS_STALE', `signing-keys token issued at ${iat} is older than the keys held (issued at ${heldIat})`, 409, {
      iat,
      heldIat,
    });
  }

  /** A node-revocations token that is not the cloud's (forged, unsigned) or not one at all. */
  static revocationsInvalid(message: string): TrustException {
    return new TrustException('REVOCATIONS_INVALID', `node-revocations token refused: ${message}`, 422);
  }

  static revocationsWrongStore(message: string): TrustException {
    return new TrustException('WRONG_STORE', `node-revocations token refused: ${message}`, 422);
  }

  private constructor(code: TrustErrorCode, message: string, status: number, details?: unknown) {
    super(code, message, status, details);
  }
}
