import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * A caller's request id is kept only when it is short and plain (letters, digits, `.`, `_`, `-`):
 * it goes into every log line of the request and back out in a response header, so anything else
 * (a CR/LF, quotes, a megabyte, two headers joined by a comma) gets a fresh id instead.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request's id: the caller's `X-Request-Id` when safe, else a fresh UUID; echoed in the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const header = req.headers['x-request-id'];
  const id = typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * JSON logs to stdout (seed 000 section 10), one line per request with its id. Tokens and cookies
 * never reach the log; probes are not logged on every hit.
 */
export function httpLoggerOptions(app: string, level: string): Options {
  return {
    level,
    base: { app },
    genReqId: requestId,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/healthz' || req.url === '/metrics' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  };
}

/**
 * The app's request logger (pino-http), which the app factory mounts first, before the body
 * parser: a request the parser refuses (malformed JSON, 413) gets its id, the echoed header and
 * its log line too. Nest's own module middleware would run after the parser and miss them.
 */
export function requestLogger(app: string, level: string): HttpLogger {
  return pinoHttp(httpLoggerOptions(app, level));
}

/** nestjs-pino's options: request logs through the mounted requestLogger (useExisting), the rest alike. */
export function loggerOptions(app: string, level: string): Params {
  return { pinoHttp: httpLoggerOptions(app, level), useExisting: true };
}
