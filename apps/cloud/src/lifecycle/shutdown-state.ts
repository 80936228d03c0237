import { Injectable } from '@nestjs/common';

/**
 * Whether this replica is shutting down. `begin()` is the first thing a SIGTERM does
 * (graceful-shutdown.ts), before Nest's own shutdown hooks run one module after another: what
 * must stop at once listens to `signal` (held long-polls end, workers stop taking jobs, /healthz
 * answers 503 SHUTTING_DOWN so a load balancer stops sending requests here).
 */
@Injectable()
export class ShutdownState {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get draining(): boolean {
    return this.controller.signal.aborted;
  }

  begin(): void {
    this.controller.abort();
  }
}
