import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorBody } from '@app/nest-kit';
import { CommandsException } from './commands.exception.js';

/**
 * The commands' errors as the global filter writes them, plus `currentRevision` at the top of a
 * 409 (RevisionConflictBody, SYSTEM.md 6: `{code: 'REVISION_CONFLICT', currentRevision}`).
 */
@Catch(CommandsException)
export class RevisionConflictFilter implements ExceptionFilter {
  catch(error: CommandsException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { body } = toErrorBody(error);
    const extra = error.code === 'REVISION_CONFLICT' ? { currentRevision: (error.details as { currentRevision: number }).currentRevision } : {};
    response.status(body.statusCode).json({ ...body, ...extra });
  }
}
