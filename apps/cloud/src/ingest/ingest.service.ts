import { Injectable, Logger } from '@nestjs/common';
import { MAX_INGEST_BATCH, type CloudEventsPage, type IngestRejection, type IngestResponse } from '@app/contracts';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import { ProjectionsScheduler } from '../projections/projections.scheduler.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { outageOf } from '../outages/outage-errors.js';
import { IngestException } from './ingest.exception.js';
import { IngestRepository } from './ingest.repository.js';
import { isRejection, prepareEvent, type PreparedEvent, type Realm } from './prepared-event.js';

export interface IngestTarget {
  scope: TenantScope;
  storeId: string;
  origin: 'hub' | 'cloud';
  /** Events created at HQ are audited; a hub's uploads are not (they are the store's own record). */
  auditAs?: Actor;
  maxBatch?: number;
}

/**
 * `prepareEvent`, and an event it cannot serialise or hash after all (a gap in the contract) is
 * rejected alone rather than failing the batch.
 */
function prepareOne(raw: unknown, index: number, realm: Realm): PreparedEvent | IngestRejection {
  try {
    return prepareEvent(raw, index, realm);
  } catch (error) {
    const eventId = (raw as { eventId?: unknown } | null)?.eventId;
    return {
      eventId: typeof eventId === 'string' ? eventId.slice(0, 64) : null,
      index,
      code: 'INVALID',
      message: `the event cannot be stored: ${(error as Error).message}`,
    };
  }
}

/** An event the contract took and the database would not store: rejected on its own, for good. */
function refusedByDatabase(v: PreparedEvent, detail: string): IngestRejection {
  return { eventId: v.event.eventId, index: v.index, code: 'INVALID', message: `the database refused the event (${detail.slice(0, 200)})` };
}

/**
 * The idempotent ingest: every event is checked on its own, the valid ones are inserted with one
 * multi-row INSERT IGNORE per chunk, and the ids that were already there are compared by content
 * hash: the same content is a duplicate (a resend), other content under a known eventId is
 * rejected as CONFLICT and never overwrites what is stored.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly events: IngestRepository,
    private readonly projections: ProjectionsScheduler,
    private readonly audit: AuditService,
    private readonly metrics: CloudMetrics,
  ) {}

  async ingest(target: IngestTarget, batch: readonly unknown[]): Promise<IngestResponse> {
    const max = target.maxBatch ?? MAX_INGEST_BATCH;
    if (batch.length > max) throw IngestException.batchTooLarge(batch.length, max);
    const rejected: IngestRejection[] = [];
    const valid: PreparedEvent[] = [];
    const realm = { tenantId: target.scope.tenantId, storeId: target.storeId };
    batch.forEach((raw, index) => {
      const prepared = prepareOne(raw, index, realm);
      if (isRejection(prepared)) rejected.push(prepared);
      else valid.push(prepared);
    });
    const { accepted, duplicates, conflicts } = await this.store(target, valid);
    rejected.push(...conflicts);
    rejected.sort((a, b) => a.index - b.index);
    this.metrics.ingestedEvents.inc({ result: 'accepted', origin: target.origin }, accepted);
    this.metrics.ingestedEvents.inc({ result: 'duplicate', origin: target.origin }, duplicates);
    this.metrics.ingestedEvents.inc({ result: 'rejected', origin: target.origin }, rejected.length);
    if (target.auditAs && accepted > 0) {
      await this.audit.recordNow(target.scope, {
        storeId: target.storeId,
        actor: target.auditAs,
        action: 'events.created',
        targetType: 'store',
        targetId: target.storeId,
        details: { accepted, duplicates, rejected: rejected.length, eventIds: valid.slice(0, 50).map((v) => v.event.eventId) },
      });
    }
    // A resend also schedules: cheap (deduplicated), and it heals a projection whose queueing failed.
    if (valid.length > 0) void this.projections.schedule(target.storeId);
    return { accepted, duplicates, rejected };
  }

  /**
   * Inserts what is new. An agent that did not hear back resends the whole batch, so the first and
   * last ids are probed first: if either is known, the batch's stored hashes are read up front and
   * only unknown events are inserted (a resend then costs one indexed read). Otherwise the batch
   * goes straight to INSERT IGNORE. Either way, ids the insert ignored (a concurrent upload, a
   * twin within the batch) are looked up afterwards, so the outcome is exact whatever the order.
   */
  private async store(target: IngestTarget, valid: PreparedEvent[]): Promise<{ accepted: number; duplicates: number; conflicts: IngestRejection[] }> {
    if (valid.length === 0) return { accepted: 0, duplicates: 0, conflicts: [] };
    const conflicts: IngestRejection[] = [];
    let duplicates = 0;
    const conflict = (v: PreparedEvent): IngestRejection => ({
      eventId: v.event.eventId,
      index: v.index,
      code: 'CONFLICT',
      message: 'an event with this eventId was already ingested with different content',
    });
    const key = (v: PreparedEvent) => v.event.eventId.toLowerCase();
    const hashesOf = (events: readonly PreparedEvent[]) => this.events.hashesOf(target.scope, target.storeId, [...new Set(events.map((v) => v.event.eventId))]);
    let fresh = valid;
    const probe = await hashesOf(valid.length > 1 ? [valid[0]!, valid.at(-1)!] : valid);
    if (probe.size > 0) {
      const known = await hashesOf(valid);
      fresh = [];
      for (const v of valid) {
        const stored = known.get(key(v));
        if (stored === undefined) fresh.push(v);
        else if (stored === v.contentHash) duplicates += 1;
        else conflicts.push(conflict(v));
      }
    }
    const { accepted, refused } = fresh.length > 0 ? await this.insert(target, fresh) : { accepted: 0, refused: [] };
    conflicts.push(...refused);
    const tried = fresh.filter((v) => !refused.some((r) => r.index === v.index));
    if (accepted < tried.length) {
      const stored = await hashesOf(tried);
      let lost = 0;
      for (const v of tried) {
        const hash = stored.get(key(v));
        if (hash === v.contentHash) continue;
        lost += 1;
        // Not stored at all: the database skipped the row (INSERT IGNORE turns a refusal into a warning).
        conflicts.push(hash === undefined ? refusedByDatabase(v, 'the row was skipped') : conflict(v));
      }
      duplicates += tried.length - lost - accepted;
    }
    return { accepted, duplicates, conflicts };
  }

  /**
   * One multi-row insert; should the database refuse it for a reason of its content (not an
   * outage, which fails the request with 503 so that the agent resends), each event is inserted on
   * its own and only the ones it refuses are rejected: one bad event never fails its batch.
   */
  private async insert(target: IngestTarget, fresh: PreparedEvent[]): Promise<{ accepted: number; refused: IngestRejection[] }> {
    try {
      return { accepted: await this.events.insertIgnore(target.scope, target.storeId, fresh, target.origin, new Date()), refused: [] };
    } catch (error) {
      if (outageOf(error)) throw error;
      if (fresh.length === 1) {
        this.logger.warn(`ingest: the database refused event ${fresh[0]!.event.eventId}: ${(error as Error).message}`);
        return { accepted: 0, refused: [refusedByDatabase(fresh[0]!, (error as Error).message)] };
      }
    }
    let accepted = 0;
    const refused: IngestRejection[] = [];
    for (const v of fresh) {
      const one = await this.insert(target, [v]);
      accepted += one.accepted;
      refused.push(...one.refused);
    }
    return { accepted, refused };
  }

  async page(scope: TenantScope, storeId: string, after: number, limit: number, origin?: 'hub' | 'cloud'): Promise<CloudEventsPage> {
    const events = await this.events.page(scope, storeId, after, limit, origin);
    return { events, nextCursor: events.at(-1)?.cloudSeq ?? after };
  }
}
