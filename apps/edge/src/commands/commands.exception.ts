import type { AckErrorCode, ValidationIssue } from '@app/contracts';
import { AppException } from '@app/nest-kit';
import type { EnvelopeRefusal } from '@app/sync';

export type CommandsErrorCode =
  | Extract<AckErrorCode, 'SIGNATURE_INVALID' | 'UNKNOWN_KEY' | 'UNKNOWN_DOMAIN' | 'WRONG_STORE' | 'EXPIRED' | 'INVALID_PAYLOAD' | 'REVISION_CONFLICT'>
  | 'IF_MATCH_REQUIRED'
  | 'IF_MATCH_INVALID';

/**
 * Why the hub refused a command. The codes the agent acks with (SYSTEM.md 4.5) are the codes of
 * these errors, so it can forward them unchanged: 422 for the final ones, 409 for a stale base.
 */
export class CommandsException extends AppException {
  /** The shared envelope check's refusal (libs/sync), as the hub answers it. */
  static fromRefusal(refusal: EnvelopeRefusal): CommandsException {
    return refusal.code === 'INVALID_PAYLOAD' ? CommandsException.invalidPayload(refusal.issues) : CommandsException.refused(refusal.code, refusal.message);
  }

  static refused(code: 'SIGNATURE_INVALID' | 'UNKNOWN_KEY' | 'UNKNOWN_DOMAIN' | 'WRONG_STORE' | 'EXPIRED', message: string): CommandsException {
    return new CommandsException(code, message, 422);
  }

  static invalidPayload(issues: readonly ValidationIssue[]): CommandsException {
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return new CommandsException('INVALID_PAYLOAD', `the command is invalid: ${summary}`, 422, { issues });
  }

  /** The RevisionConflictBody: `currentRevision` is also lifted to the top of the body by the filter. */
  static revisionConflict(baseRevision: number, currentRevision: number, domain: string): CommandsException {
    return new CommandsException('REVISION_CONFLICT', `${domain} is at revision ${currentRevision}, the command builds on ${baseRevision}`, 409, {
      currentRevision,
    });
  }

  static ifMatchRequired(): CommandsException {
    return new CommandsException('IF_MATCH_REQUIRED', 'a patch command needs the If-Match header with the revision it builds on', 428);
  }

  static ifMatchInvalid(message: string): CommandsException {
    return new CommandsException('IF_MATCH_INVALID', message, 400);
  }

  private constructor(code: CommandsErrorCode, message: string, status: number, details?: unknown) {
    super(code, message, status, details);
  }
}
