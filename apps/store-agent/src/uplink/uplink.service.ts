import { Injectable, Logger } from '@nestjs/common';
import type { EdgeStatus, IngestResponse, OutboxPage, StoredEvent } from '@app/contracts';
import { CloudClient } from '../cloud/cloud-client.js';
import { CloudRequestError } from '../common/agent-errors.js';
import type { LoopRound } from '../common/run-loop.js';
import { AgentConfig } from '../config/agent-config.js';
import { EdgeClient } from '../edge/edge-client.js';
import { AgentMetrics } from '../heartbeat/agent-metrics.js';

const INGEST_TIMEOUT_MS = 30_000;

/** Answers to a whole page that sending it again cannot change. */
const PAGE_REFUSED_FOR_GOOD = new Set([400, 413, 422]);

/**
 * Events up: reads the hub's outbox in seq order from its cloud cursor, posts each page to the
 * cloud's ingest, and moves the hub's cursor only once the cloud has answered, so a crash anywhere
 * resends (the ingest is idempotent by eventId) and never skips an event the cloud may still take.
 * Events it rejects for good are logged and counted (events_rejected in health.json); they do not
 * hold the stream back. Events go up as the hub stored them: the cloud keeps
 * the hub's `seq` beside each event (and leaves it out of the event's content hash).
 */
@Injectable()
export class UplinkService {
  private readonly logger = new Logger(UplinkService.name);
  private cursor: number | null = null;
  private lastSyncAt: Date | null = null;

  constructor(
    private readonly config: AgentConfig,
    private readonly edge: EdgeClient,
    private readonly cloud: CloudClient,
    private readonly metrics: AgentMetrics,
  ) {}

  get lastCloudSyncAt(): Date | null {
    return this.lastSyncAt;
  }

  async round(signal: AbortSignal): Promise<LoopRound> {
    // The hub's cursor is the truth: read it at start and after any failure (someone else may have moved it).
    this.cursor ??= (await this.edge.ok<EdgeStatus>('GET', '/status', undefined, { signal })).cloudCursor;
    try {
      return await this.ship(this.cursor, signal);
    } catch (error) {
      this.cursor = null;
      throw error;
    }
  }

  private async ship(after: number, signal: AbortSignal): Promise<LoopRound> {
    const page = await this.edge.ok<OutboxPage>('GET', `/api/v1/outbox?after=${after}&limit=${this.config.uplinkBatchSize}`, undefined, { signal });
    // A page may hold no events to ship and still cover seqs (the hub steps over HQ's own events).
    if (page.nextCursor <= after) return 'idle';
    if (page.events.length > 0) await this.ingest(page.events, signal);
    await this.edge.ok('PUT', '/api/v1/outbox/cursor', { cursor: page.nextCursor }, { signal });
    this.cursor = page.nextCursor;
    this.lastSyncAt = new Date();
    this.logger.debug(`uplink: ${page.events.length} event(s), hub cursor now ${page.nextCursor}`);
    return page.hasMore ? 'busy' : 'idle';
  }

  /**
   * Posts a page. The cloud answers each event on its own (accepted, duplicate or rejected); a page
   * it refuses whole and for good (400, 413, 422: too big for its body limit, say) is split in
   * halves until what it refuses is one event, which is logged, counted and stepped over, so that
   * one event never holds the stream back. Anything else (5xx, 429, a timeout) is retried as is.
   */
  private async ingest(events: StoredEvent[], signal: AbortSignal): Promise<void> {
    let res;
    try {
      res = await this.cloud.call<IngestResponse>('POST', '/api/v1/events/ingest', { events }, { timeoutMs: INGEST_TIMEOUT_MS, signal });
    } catch (error) {
      if (!(error instanceof CloudRequestError) || !PAGE_REFUSED_FOR_GOOD.has(error.status)) throw error;
      if (events.length > 1) {
        const half = Math.ceil(events.length / 2);
        this.logger.warn(`the cloud refused a page of ${events.length} events (${error.message}); sending it in halves`);
        await this.ingest(events.slice(0, half), signal);
        await this.ingest(events.slice(half), signal);
        return;
      }
      this.metrics.count('events_rejected');
      this.logger.error(`the cloud refused event ${events[0]!.eventId} (hub seq ${events[0]!.seq}) for good: ${error.message}; moving past it`);
      return;
    }
    const result = res.body;
    this.metrics.count('events_uploaded', result.accepted);
    this.metrics.count('events_duplicate', result.duplicates);
    if (result.rejected.length === 0) return;
    this.metrics.count('events_rejected', result.rejected.length);
    for (const r of result.rejected) {
      const seq = events[r.index]?.seq;
      this.logger.error(`the cloud rejected event ${r.eventId ?? '(no id)'} (hub seq ${seq ?? '?'}): ${r.code} ${r.message}; moving past it`);
    }
  }
}
