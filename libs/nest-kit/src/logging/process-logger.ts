import type { LoggerService } from '@nestjs/common';
import { pino, type Level, type Logger } from 'pino';

/**
 * The app's log lines that no request and no Nest logger carries: a bad environment, a failed
 * start, a stray rejection. Same JSON as loggerOptions (pino, `app`), so that every line of the
 * stream parses; written synchronously, so that the line just before a process.exit is not lost.
 */
export function processLogger(app: string, level = 'info'): Logger {
  return pino({ base: { app }, level }, pino.destination({ dest: 1, sync: true }));
}

/**
 * Nest's logger until the app's nestjs-pino Logger takes over (NestFactory's `logger` option): its
 * first lines, and above all the error of a start that fails before useLogger (a provider that
 * throws), are JSON too instead of Nest's coloured text.
 */
export class BootLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the context last, and for errors may pass a stack before it. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    if (typeof rest[0] === 'string') fields.stack = rest[0];
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}

/**
 * An uncaught exception (a server's `error` event nobody listens to, such as EADDRINUSE at
 * listen) ends the process as Node would, exit code 1, but logged as JSON instead of Node's
 * plain-text stack.
 */
export function exitOnUncaughtException(log: Logger): void {
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, `uncaught exception, stopping: ${error.message}`);
    process.exit(1);
  });
}
