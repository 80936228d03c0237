import { AppException } from '@app/nest-kit';

export const AUTH_ERROR_CODES = {
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  INVALID_CREDENTIALS: 401,
  OPERATOR_DISABLED: 403,
  FORBIDDEN: 403,
  NODE_REVOKED: 403,
  BOOTSTRAP_TOKEN_INVALID: 401,
  BOOTSTRAP_TOKEN_USED: 401,
  BOOTSTRAP_TOKEN_EXPIRED: 401,
} as const;
export type AuthErrorCode = keyof typeof AUTH_ERROR_CODES;

/** Authentication and authorisation failures of operators and nodes. */
export class AuthException extends AppException {
  constructor(code: AuthErrorCode, message: string) {
    super(code, message, AUTH_ERROR_CODES[code]);
  }
}
