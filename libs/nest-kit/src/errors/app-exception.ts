/**
 * The base of every domain exception. Each module subclasses it with its own string-enum codes; the
 * global filter turns it into `{statusCode, code, message, details?}`. Socket handlers and queue
 * processors read `code` too, so the same error reads the same everywhere.
 */
export class AppException extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundException extends AppException {
  constructor(what: string, id?: string) {
    super('NOT_FOUND', id ? `${what} '${id}' not found` : `${what} not found`, 404);
  }
}

export class UnauthorizedException extends AppException {
  constructor(message = 'authentication required', code = 'UNAUTHORIZED') {
    super(code, message, 401);
  }
}

export class ForbiddenException extends AppException {
  constructor(message = 'not allowed', code = 'FORBIDDEN') {
    super(code, message, 403);
  }
}
