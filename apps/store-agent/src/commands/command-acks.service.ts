import { Injectable, Logger } from '@nestjs/common';
import type { CommandAck, CommandAckResponse } from '@app/contracts';
import { CloudClient } from '../cloud/cloud-client.js';
import { CloudRequestError } from '../common/agent-errors.js';
import { AgentStateRepository } from '../database/agent-state.repository.js';

/** Sends the queued acks, oldest first; one the cloud cannot take (4xx) is dropped, not retried forever. */
@Injectable()
export class CommandAcksService {
  private readonly logger = new Logger(CommandAcksService.name);

  constructor(
    private readonly cloud: CloudClient,
    private readonly state: AgentStateRepository,
  ) {}

  /** Throws (after keeping the rest queued) when the cloud is unreachable or failing. */
  async flush(signal?: AbortSignal): Promise<number> {
    let sent = 0;
    for (const ack of this.state.pendingAcks()) {
      await this.send(ack, signal);
      sent += 1;
    }
    return sent;
  }

  private async send(ack: CommandAck, signal?: AbortSignal): Promise<void> {
    try {
      const res = await this.cloud.call<CommandAckResponse>('POST', `/api/v1/commands/${ack.commandId}/ack`, ack, { signal });
      this.logger.debug(`ack ${ack.status} of ${ack.commandId}: command now ${res.body.status}${res.body.changed ? '' : ' (unchanged)'}`);
    } catch (error) {
      if (!(error instanceof CloudRequestError) || error.status >= 500 || error.status === 429) throw error;
      this.logger.error(`the cloud refused the ack of command ${ack.commandId} (${error.message}); dropping it`);
    }
    this.state.ackDelivered(ack);
  }
}
