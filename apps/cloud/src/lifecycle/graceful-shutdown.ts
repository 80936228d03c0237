import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { ShutdownState } from './shutdown-state.js';

/** Share of the shutdown timeout that requests in flight get to finish before their connections are cut. */
const HTTP_DRAIN_SHARE = 0.5;
/** How often connections that went idle during the drain are closed (a keep-alive client would reuse them). */
const IDLE_SWEEP_MS = 100;

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Exit code of a shutdown that did not finish in time (the log line before it says what was left). */
export const SHUTDOWN_TIMEOUT_EXIT_CODE = 1;

/**
 * SIGTERM (or SIGINT) stops the cloud within `timeoutMs`, whatever is in flight:
 *
 * 1. the server stops accepting connections, and ShutdownState tells the app: held long-polls end
 *    at once, workers take no new job, /healthz answers 503 SHUTTING_DOWN on kept-alive connections;
 * 2. requests in flight get half the timeout to finish (a request blocked on a stalled database
 *    would not), then their connections are cut;
 * 3. Nest closes the modules: workers (running jobs get their share, see JobQueues), then the
 *    database pools and Redis;
 * 4. exit 0, or, should anything still hang when the timeout is up, a logged reason and exit 1.
 *
 * Replaces Nest's enableShutdownHooks, which waits for app.close() with no bound.
 */
export function installGracefulShutdown(app: NestExpressApplication, timeoutMs: number, log: Logger): void {
  const server = app.getHttpServer() as Server;
  let inFlight = 0;
  server.on('request', (_req, res) => {
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
  });
  let phase = 'not started';
  let started = false;

  const shutdown = async (signal: string) => {
    // A repeated signal changes nothing: Ctrl-C under npm delivers SIGINT twice (the terminal's to
    // the process group, and npm's), and the deadline bounds the wait anyway.
    if (started) return;
    started = true;
    const begun = Date.now();
    log.info({ signal, timeoutMs }, `${signal}: shutting down (at most ${timeoutMs} ms)`);
    const deadline = setTimeout(() => {
      log.error(
        { signal, phase, requestsInFlight: inFlight, timeoutMs },
        `shutdown did not finish within ${timeoutMs} ms (still ${phase}; ${inFlight} request(s) in flight): exiting anyway`,
      );
      process.exit(SHUTDOWN_TIMEOUT_EXIT_CODE);
    }, timeoutMs);
    try {
      phase = 'draining HTTP requests';
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      app.get(ShutdownState).begin();
      const idleSweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const drained = await Promise.race([
        closed.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs * HTTP_DRAIN_SHARE)),
      ]);
      clearInterval(idleSweep);
      if (!drained) {
        log.warn(
          { requestsInFlight: inFlight },
          `${inFlight} request(s) still in flight after ${Math.round(timeoutMs * HTTP_DRAIN_SHARE)} ms: closing their connections`,
        );
        server.closeAllConnections();
      }
      phase = 'closing workers, database pools and Redis';
      await app.close();
      clearTimeout(deadline);
      log.info({ signal, ms: Date.now() - begun }, 'shut down');
      process.exit(0);
    } catch (error) {
      clearTimeout(deadline);
      log.error({ err: error, phase }, `shutdown failed while ${phase}: ${(error as Error).message}`);
      process.exit(SHUTDOWN_TIMEOUT_EXIT_CODE);
    }
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, (s: string) => void shutdown(s));
}
