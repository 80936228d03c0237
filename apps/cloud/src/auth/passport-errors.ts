import { AppException } from '@app/nest-kit';
import { outageException } from '../outages/outage-errors.js';
import { AuthException } from './auth.exception.js';

/**
 * Maps what passport reports (an error thrown by `validate`, or passport-jwt's `info`) to the
 * product's coded errors: an expired token is TOKEN_EXPIRED so clients know to renew, not re-login.
 * The strategies load the operator or node from the database: when that fails for want of the
 * database (or Redis), the answer is 503, never a 401 that would end the client's session.
 */
export function authFailure(error: unknown, info: unknown): AppException {
  if (error instanceof AppException) return error;
  if (error) return outageException(error) ?? new AuthException('UNAUTHORIZED', 'authentication failed');
  const name = (info as { name?: unknown } | undefined)?.name;
  if (name === 'TokenExpiredError') return new AuthException('TOKEN_EXPIRED', 'the access token has expired');
  if (name === 'JsonWebTokenError' || name === 'NotBeforeError') return new AuthException('TOKEN_INVALID', 'the access token is not valid here');
  return new AuthException('UNAUTHORIZED', 'a bearer token is required');
}
