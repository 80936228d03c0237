import { Injectable, Logger } from '@nestjs/common';
import type { CommandsPollResponse } from '@app/contracts';
import { CloudClient } from '../cloud/cloud-client.js';
import type { LoopRound } from '../common/run-loop.js';
import { AgentConfig } from '../config/agent-config.js';
import { EdgeMonitorService } from '../edge/edge-monitor.service.js';
import { CommandAcksService } from './command-acks.service.js';
import { CommandProcessor } from './command-processor.service.js';

export class EdgeDownError extends Error {
  constructor(edgeUrl: string) {
    super(`edge ${edgeUrl} is not reachable: not taking commands until it is`);
    this.name = 'EdgeDownError';
  }
}

/**
 * One round of the command loop: resend the acks still queued, then (only while the hub answers,
 * so commands are not burnt on EDGE_UNAVAILABLE) long-poll, and settle what came, in order.
 */
@Injectable()
export class CommandPoller {
  private readonly logger = new Logger(CommandPoller.name);

  constructor(
    private readonly config: AgentConfig,
    private readonly cloud: CloudClient,
    private readonly processor: CommandProcessor,
    private readonly acks: CommandAcksService,
    private readonly edgeMonitor: EdgeMonitorService,
  ) {}

  async round(signal: AbortSignal): Promise<LoopRound> {
    await this.acks.flush(signal);
    if (!(await this.edgeMonitor.check())) throw new EdgeDownError(this.config.edgeUrl);
    const wait = this.config.commandPollWaitSeconds;
    const started = Date.now();
    this.logger.debug(`polling for commands (wait ${wait} s)`);
    const res = await this.cloud.call<CommandsPollResponse>('GET', `/api/v1/nodes/commands?wait=${wait}`, undefined, { timeoutMs: (wait + 15) * 1000, signal });
    const commands: unknown[] = Array.isArray(res.body?.commands) ? res.body.commands : [];
    this.logger.debug(`poll answered after ${Date.now() - started} ms with ${commands.length} command(s)`);
    for (const command of commands) {
      await this.processor.process(command, signal);
      await this.acks.flush(signal);
    }
    return commands.length > 0 ? 'busy' : 'idle';
  }
}
