import { Injectable, Logger } from '@nestjs/common';
import type { CloudEventsPage } from '@app/contracts';
import { CloudClient } from '../cloud/cloud-client.js';
import { errorOf } from '../common/http-json.js';
import type { LoopRound } from '../common/run-loop.js';
import { AgentStateRepository } from '../database/agent-state.repository.js';
import { EdgeClient } from '../edge/edge-client.js';
import { AgentMetrics } from '../heartbeat/agent-metrics.js';
import { EdgeRequestError } from '../common/agent-errors.js';

const PAGE_SIZE = 200;

/** The hub's answer to `POST /api/v1/events`. */
interface CloudEventAppendResponse {
  seq: number;
  duplicate: boolean;
}

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
      const res = await this.edge.call<CloudEventAppendResponse>('POST', '/api/v1/events', base, { signal });
      const { code, message } = errorOf(res.body);
      if (res.status >= 200 && res.status < 300) {
        this.metrics.count('cloud_events_appended');
        if (!res.body.duplicate) this.logger.log(`HQ event ${event.type} ${event.eventId} handed to the hub (hub seq ${res.body.seq})`);
      } else if (res.status === 409 || res.status === 422) {
        // The hub will never take it as it is (a version conflict, an invalid event): skip, do not stall.
        this.metrics.count('cloud_events_rejected');
        this.logger.error(`the hub refused HQ event ${event.eventId} (${event.type}): ${res.status} ${code ?? ''} ${message}; skipping it`);
      } else {
        throw new EdgeRequestError(res.status, code, `the hub could not take HQ event ${event.eventId}: ${res.status} ${code ?? ''} ${message}`);
      }
      this.state.saveCursor('downlink', cloudSeq);
    }
    return page.events.length >= PAGE_SIZE ? 'busy' : 'idle';
  }
}
