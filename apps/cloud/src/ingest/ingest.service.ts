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
 * multi-row INSERT IGNORE per chunk, and only the ids that were ignored are looked up: the same
 * content is a duplicate (a resend), other content under a known eventId is rejected as CONFLICT
 * and never overwrites what is stored.
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
    const now = new Date();
    const accepted = valid.length > 0 ? await this.events.insertIgnore(target.scope, target.storeId, valid, target.origin, now) : 0;
    let duplicates = 0;
    if (accepted < valid.length) {
      const stored = await this.events.hashesOf([...new Set(valid.map((v) => v.event.eventId))]);
      const conflicts = valid.filter((v) => stored.get(v.event.eventId.toLowerCase()) !== v.contentHash);
      for (const c of conflicts) rejected.push({ eventId: c.event.eventId, index: c.index, code: 'CONFLICT', message: 'an event with this eventId was already ingested with different content' });
      duplicates = valid.length - conflicts.length - accepted;
    }
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

  async page(scope: TenantScope, storeId: string, after: number, limit: number, origin?: 'hub' | 'cloud'): Promise<CloudEventsPage> {
    const events = await this.events.page(scope, storeId, after, limit, origin);
    return { events, nextCursor: events.at(-1)?.cloudSeq ?? after };
  }
}
