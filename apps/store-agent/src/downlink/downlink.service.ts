import { Injectable, Logger } from '@nestjs/common';
import type { AppendAck, CloudEventsPage } from '@app/contracts';
import { CloudClient } from '../cloud/cloud-client.js';
import { errorOf } from '../common/http-json.js';
import type { LoopRound } from '../common/run-loop.js';
import { AgentStateRepository } from '../database/agent-state.repository.js';
import { EdgeClient } from '../edge/edge-client.js';
import { AgentMetrics } from '../heartbeat/agent-metrics.js';
import { EdgeRequestError } from '../common/agent-errors.js';

const PAGE_SIZE = 200;

/**
 * Events down: what HQ created for this store (`GET /api/v1/nodes/events`, cloud order) is appended
 * to the hub (`POST /api/v1/events`), which relays it to the devices. The cursor (cloudSeq) is kept
 * in the agent's database and moves after each event the hub answered; the hub dedupes by eventId,
 * so a resend after a crash is harmless. An event the hub refuses is logged and skipped.
 */
@Injectable()
export class DownlinkService {
  private readonly logger = new Logger(DownlinkService.name);

  constructor(
    private readonly cloud: CloudClient,
    private readonly edge: EdgeClient,
    private readonly state: AgentStateRepository,
    private readonly metrics: AgentMetrics,
  ) {}

  async round(signal: AbortSignal): Promise<LoopRound> {
    const after = this.state.cursor('downlink');
    const page = (await this.cloud.call<CloudEventsPage>('GET', `/api/v1/nodes/events?after=${after}&limit=${PAGE_SIZE}`, undefined, { signal })).body;
    for (const event of page.events) {
      const { cloudSeq, hubSeq: _hubSeq, origin: _origin, ...base } = event;
      const res = await this.edge.call<AppendAck>('POST', '/api/v1/events', base, { signal });
      if (res.status >= 500) throw new EdgeRequestError(res.status, errorOf(res.body).code, `edge could not take cloud event ${event.eventId}: ${errorOf(res.body).message}`);
      const ack = res.body;
      if (res.status >= 200 && res.status < 300 && (ack === null || typeof ack !== 'object' || !('ok' in ack) || ack.ok)) {
        this.metrics.count('cloud_events_appended');
        this.logger.log(`cloud event ${event.type} ${event.eventId} handed to the hub`);
      } else if (res.status === 401 || res.status === 403) {
        throw new EdgeRequestError(res.status, errorOf(res.body).code, `edge refused the agent: ${errorOf(res.body).message}`);
      } else {
        this.metrics.count('cloud_events_rejected');
        const reason = ack && typeof ack === 'object' && 'code' in ack ? `${ack.code} ${ack.message}` : `${res.status} ${errorOf(res.body).message}`;
        this.logger.error(`the hub refused cloud event ${event.eventId} (${event.type}): ${reason}; skipping it`);
      }
      this.state.saveCursor('downlink', cloudSeq);
    }
    return page.events.length >= PAGE_SIZE ? 'busy' : 'idle';
  }
}
