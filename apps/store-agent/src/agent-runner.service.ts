import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { backoffDelayMs, type BackoffPolicy } from '@app/sync';
import { CommandPoller, EdgeDownError } from './commands/command-poller.service.js';
import { AgentFatalError, EXIT_REVOKED } from './common/agent-errors.js';
import { pause, runLoop, type LoopRound } from './common/run-loop.js';
import { AgentConfig } from './config/agent-config.js';
import { DownlinkService } from './downlink/downlink.service.js';
import { TrustHandoffService } from './edge/trust-handoff.service.js';
import { HeartbeatService } from './heartbeat/heartbeat.service.js';
import { IdentityService } from './identity/identity.service.js';
import { UplinkService } from './uplink/uplink.service.js';

/**
 * Runs the agent: the identity first (registering if needed), then four independent loops, each
 * with its own backoff: commands (long-poll, apply, ack), uplink (hub outbox to the ingest),
 * downlink (HQ events to the hub) and heartbeat. Resolves when stopped; rejects with the
 * AgentFatalError that ended it (revoked node, unusable bootstrap token).
 */
@Injectable()
export class AgentRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(AgentRunner.name);
  private readonly stopping = new AbortController();

  constructor(
    private readonly config: AgentConfig,
    private readonly identity: IdentityService,
    private readonly trust: TrustHandoffService,
    private readonly commands: CommandPoller,
    private readonly uplink: UplinkService,
    private readonly downlink: DownlinkService,
    private readonly heartbeat: HeartbeatService,
  ) {}

  onApplicationShutdown(): void {
    this.stopping.abort();
  }

  async run(): Promise<void> {
    try {
      await this.runLoops();
    } catch (error) {
      // Revoked: the hub should stop taking this agent's token now, not when it expires.
      if (error instanceof AgentFatalError && error.exitCode === EXIT_REVOKED && this.identity.registered) await this.trust.reportOwnRevocation();
      throw error;
    }
  }

  private async runLoops(): Promise<void> {
    const signal = this.stopping.signal;
    const backoff: BackoffPolicy = { baseMs: this.config.retryBaseMs, maxMs: this.config.retryMaxMs };
    if (!(await this.startIdentity(signal, backoff))) return;
    await this.trust.push();
    const loop = (name: string, idleMs: number, round: (signal: AbortSignal) => Promise<LoopRound>, quiet?: (error: unknown) => boolean) =>
      runLoop({
        name,
        signal,
        idleMs,
        backoff,
        round: () => round(signal),
        onError: (error, attempt, delayMs) => {
          const text = `${name}: ${(error as Error).message ?? String(error)}; retry ${attempt} in ${delayMs} ms`;
          if (attempt === 1 || attempt % 10 === 0) {
            if (quiet?.(error)) this.logger.log(text);
            else this.logger.warn(text);
          } else this.logger.debug(text);
        },
      });
    const loops = [
      loop(
        'commands',
        250,
        (s) => this.commands.round(s),
        (e) => e instanceof EdgeDownError,
      ),
      loop('uplink', this.config.uplinkIdleMs, (s) => this.uplink.round(s)),
      loop('downlink', this.config.downlinkIntervalMs, (s) => this.downlink.round(s)),
      loop('heartbeat', this.config.heartbeatIntervalMs, (s) => this.heartbeat.round(s)),
    ];
    this.logger.log(`store agent running for store ${this.identity.current.storeId}: cloud ${this.config.cloudUrl}, edge ${this.config.edgeUrl}`);
    try {
      await Promise.all(loops);
    } catch (error) {
      // One loop hit something fatal: stop the others before saying so.
      this.stopping.abort();
      await Promise.allSettled(loops);
      throw error;
    }
  }

  /** Registers or loads the identity, retrying while the cloud does not answer. False when stopped first. */
  private async startIdentity(signal: AbortSignal, backoff: BackoffPolicy): Promise<boolean> {
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      try {
        await this.identity.start();
        return true;
      } catch (error) {
        if (error instanceof AgentFatalError) throw error;
        const delay = backoffDelayMs(attempt, backoff);
        this.logger.warn(`cannot reach the cloud to start the node identity (${(error as Error).message}); retry ${attempt} in ${delay} ms`);
        await pause(delay, signal);
      }
    }
    return false;
  }
}
