import { Injectable, Logger } from '@nestjs/common';
import { AgentConfig } from '../config/agent-config.js';

const EDGE_CHECK_TIMEOUT_MS = 3_000;

/**
 * Whether the store's hub answers on /healthz, logged when it changes. The heartbeat reports it to
 * the cloud, and the command loop does not take commands while the hub is down.
 */
@Injectable()
export class EdgeMonitorService {
  private readonly logger = new Logger(EdgeMonitorService.name);
  private reachable: boolean | null = null;

  constructor(private readonly config: AgentConfig) {}

  isReachable(): boolean {
    return this.reachable === true;
  }

  async check(): Promise<boolean> {
    const ok = await fetch(`${this.config.edgeUrl}/healthz`, { signal: AbortSignal.timeout(EDGE_CHECK_TIMEOUT_MS) })
      .then((res) => res.ok)
      .catch(() => false);
    this.record(ok);
    return ok;
  }

  /** What another call to the hub just learnt about it. */
  record(ok: boolean): void {
    if (ok !== this.reachable) {
      if (ok) this.logger.log(`edge ${this.config.edgeUrl} is reachable`);
      else this.logger.warn(`edge ${this.config.edgeUrl} is not reachable`);
    }
    this.reachable = ok;
  }
}
