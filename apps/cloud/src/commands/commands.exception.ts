import { AppException } from '@app/nest-kit';

export type CommandsErrorCode = 'COMMAND_NOT_RETRYABLE';

export class CommandsException extends AppException {
  static notRetryable(commandId: string, status: string): CommandsException {
    return new CommandsException('COMMAND_NOT_RETRYABLE', `command '${commandId}' is ${status}: only FAILED and DEAD_LETTER commands can be retried`, 409, {
      status,
    });
  }

  private constructor(code: CommandsErrorCode, message: string, status: number, details?: unknown) {
    super(code, message, status, details);
  }
}
