import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AgentConfig } from '../config/agent-config.js';

export const EDGE_CHECK_INTERVAL_MS = 10_000;
const EDGE_CHECK_TIMEOUT_MS = 3_000;

/**
 * Watches the store's hub: whether its /healthz answers, logged when it changes. The heartbeat
 * reports it to the cloud, and the command loop does not try to apply commands to a hub that is down.
 */
@Injectable()
export class EdgeMonitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EdgeMonitorService.name);
  private timer: NodeJS.Timeout | undefined;
  private reachable: boolean | null = null;

  constructor(private readonly config: AgentConfig) {}

  onApplicationBootstrap(): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), EDGE_CHECK_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  isReachable(): boolean {
    return this.reachable === true;
  }

  async check(): Promise<boolean> {
    const ok = await fetch(`${this.config.edgeUrl}/healthz`, { signal: AbortSignal.timeout(EDGE_CHECK_TIMEOUT_MS) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok !== this.reachable) {
      if (ok) this.logger.log(`edge ${this.config.edgeUrl} is reachable`);
      else this.logger.warn(`edge ${this.config.edgeUrl} is not reachable`);
    }
    this.reachable = ok;
    return ok;
  }
}
