import { AppException } from '@app/nest-kit';

export type TrustErrorCode = 'SIGNING_KEYS_INVALID' | 'SIGNING_KEYS_STALE';

export class TrustException extends AppException {
  static invalid(message: string): TrustException {
    return new TrustException('SIGNING_KEYS_INVALID', `signing-keys token refused: ${message}`, 422);
  }

  static stale(iat: number, heldIat: number): TrustException {
    return new TrustException('SIGNING_KEYS_STALE', `signing-keys token issued at ${iat} is older than the keys held (issued at ${heldIat})`, 409, { iat, heldIat });
  }

  private constructor(code: TrustErrorCode, message: string, status: number, details?: unknown) {
    super(code, message, status, details);
  }
}
