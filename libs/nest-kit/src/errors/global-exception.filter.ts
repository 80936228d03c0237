import { randomUUID } from 'node:crypto';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ContractValidationError, type ApiErrorBody } from '@app/contracts';
import { AppException } from './app-exception.js';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** Errors raised by Express's body parser carry a `type` and a `status`. */
interface BodyParserError {
  type?: string;
  status?: number;
  message: string;
}

/**
 * Maps every error to the product's error body. Clients never see a stack trace; an unexpected
 * error gets an `errorId` that is also in the log line with the stack.
 */
export function toErrorBody(error: unknown): { body: ApiErrorBody; unexpected: boolean } {
  if (error instanceof AppException) {
    return {
      body: { statusCode: error.status, code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) },
      unexpected: false,
    };
  }
  if (error instanceof ContractValidationError) {
    return { body: { statusCode: 400, code: 'VALIDATION_FAILED', message: error.message, details: { issues: error.issues } }, unexpected: false };
  }
  // Express's body parser raises errors with a `type`; Nest 12 wraps them in an HttpException.
  const parserError = (error instanceof HttpException ? error.cause : error) as BodyParserError | undefined;
  if (parserError?.type === 'entity.too.large')
    return { body: { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' }, unexpected: false };
  if (parserError?.type === 'entity.parse.failed')
    return { body: { statusCode: 400, code: 'MALFORMED_JSON', message: 'request body is not valid JSON' }, unexpected: false };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { body: { statusCode: status, code: HTTP_CODES[status] ?? `HTTP_${status}`, message }, unexpected: status >= 500 };
  }
  return { body: { statusCode: 500, code: 'INTERNAL', message: 'internal error' }, unexpected: true };
}

/** `details.retryAfterSeconds` of a coded error, when it has one. */
function retryAfterOf(body: ApiErrorBody): number | null {
  const seconds = (body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : null;
}

export interface GlobalExceptionFilterOptions {
  /**
   * The app's own reading of errors no domain code threw (a driver's "connection refused" is a
   * 503 for the app that knows the driver): a coded exception to answer instead, or null.
   */
  translate?: (error: unknown) => AppException | null;
}

/** A translated error is logged (warn) at most this often per code: an outage fails every request. */
const TRANSLATED_LOG_INTERVAL_MS = 10_000;

@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');
  private readonly lastTranslatedLog = new Map<string, number>();

  constructor(private readonly options: GlobalExceptionFilterOptions = {}) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const response = host.switchToHttp().getResponse<Response>();
    const translated = error instanceof AppException ? null : (this.options.translate?.(error) ?? null);
    if (translated) this.logTranslated(translated, error);
    const { body, unexpected } = toErrorBody(translated ?? error);
    if (unexpected) {
      body.errorId = randomUUID();
      this.logger.error({ errorId: body.errorId, err: error }, `unexpected error ${body.errorId}`);
    }
    if (response.headersSent) return;
    // 429 and 503 say when to come back, in the header too (RFC 9110 section 10.2.3).
    const retryAfter = body.statusCode === 429 || body.statusCode === 503 ? retryAfterOf(body) : null;
    if (retryAfter !== null) response.setHeader('Retry-After', String(retryAfter));
    response.status(body.statusCode).json(body);
  }

  private logTranslated(translated: AppException, cause: unknown): void {
    const last = this.lastTranslatedLog.get(translated.code) ?? 0;
    if (Date.now() - last < TRANSLATED_LOG_INTERVAL_MS) return;
    this.lastTranslatedLog.set(translated.code, Date.now());
    this.logger.warn({ err: cause }, `answering ${translated.status} ${translated.code}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
