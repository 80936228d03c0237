import { Injectable } from '@nestjs/common';
import { MAX_INGEST_BATCH, type CloudEventsPage, type IngestRejection, type IngestResponse } from '@app/contracts';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import { ProjectionsScheduler } from '../projections/projections.scheduler.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { IngestException } from './ingest.exception.js';
import { IngestRepository } from './ingest.repository.js';
import { isRejection, prepareEvent, type PreparedEvent } from './prepared-event.js';

export interface IngestTarget {
  scope: TenantScope;
  storeId: string;
  origin: 'hub' | 'cloud';
  /** Events created at HQ are audited; a hub's uploads are not (they are the store's own record). */
  auditAs?: Actor;
  maxBatch?: number;
}

/**
 * The idempotent ingest: every event is checked on its own, the valid ones are inserted with one
 * multi-row INSERT IGNORE per chunk, and the ids that were already there are compared by content
 * hash: the same content is a duplicate (a resend), other content under a known eventId is
 * rejected as CONFLICT and never overwrites what is stored.
 */
@Injectable()
export class IngestService {
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
      const prepared = prepareEvent(raw, index, realm);
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
    const conflict = (v: PreparedEvent): IngestRejection => ({ eventId: v.event.eventId, index: v.index, code: 'CONFLICT', message: 'an event with this eventId was already ingested with different content' });
    const key = (v: PreparedEvent) => v.event.eventId.toLowerCase();
    let fresh = valid;
    const probe = await this.events.hashesOf([...new Set([valid[0]!.event.eventId, valid.at(-1)!.event.eventId])]);
    if (probe.size > 0) {
      const known = await this.events.hashesOf([...new Set(valid.map((v) => v.event.eventId))]);
      fresh = [];
      for (const v of valid) {
        const stored = known.get(key(v));
        if (stored === undefined) fresh.push(v);
        else if (stored === v.contentHash) duplicates += 1;
        else conflicts.push(conflict(v));
      }
    }
    const accepted = fresh.length > 0 ? await this.events.insertIgnore(target.scope, target.storeId, fresh, target.origin, new Date()) : 0;
    if (accepted < fresh.length) {
      const stored = await this.events.hashesOf([...new Set(fresh.map((v) => v.event.eventId))]);
      const lost = fresh.filter((v) => stored.get(key(v)) !== v.contentHash);
      conflicts.push(...lost.map(conflict));
      duplicates += fresh.length - lost.length - accepted;
    }
    return { accepted, duplicates, conflicts };
  }

  async page(scope: TenantScope, storeId: string, after: number, limit: number, origin?: 'hub' | 'cloud'): Promise<CloudEventsPage> {
    const events = await this.events.page(scope, storeId, after, limit, origin);
    return { events, nextCursor: events.at(-1)?.cloudSeq ?? after };
  }
}
