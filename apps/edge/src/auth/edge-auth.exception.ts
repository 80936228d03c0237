import { AppException } from '@app/nest-kit';
import { HANDSHAKE_ERRORS } from '@app/contracts';

/**
 * A refused cluster token. The message is the handshake reason of SYSTEM.md 4.2 (`unauthorized`
 * or `realm_mismatch`), so the Socket.IO side can pass it on as the `connect_error` message
 * unchanged; the precise cause is in `details.reason` for logs and HTTP clients.
 */
export class EdgeAuthException extends AppException {
  constructor(
    readonly reason: keyof typeof HANDSHAKE_ERRORS,
    detail: string,
  ) {
    super(reason === 'realmMismatch' ? 'REALM_MISMATCH' : 'UNAUTHORIZED', HANDSHAKE_ERRORS[reason], reason === 'realmMismatch' ? 403 : 401, { reason: detail });
  }
}

export class EdgeForbiddenException extends AppException {
  constructor(message: string) {
    super('FORBIDDEN', message, 403);
  }
}
