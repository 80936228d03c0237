import { Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { SyncDomain } from '@app/contracts';
import { CloudConfig } from '../config/cloud-config.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import { FINISHED_STATUSES, RetentionRepository, type CommandCursor } from './retention.repository.js';

export const RETENTION_TABLES = ['SyncCommand', 'SyncCommandLog', 'AuditLog', 'IngestedEvent'] as const;
export type RetentionTable = (typeof RETENTION_TABLES)[number];

export interface RetentionReport {
  deleted: Record<RetentionTable, number>;
  /** Finished commands past the window kept because each is the latest of its domain. */
  keptLatest: number;
  /** false when a table hit the run's batch budget: the next run goes on. */
  complete: boolean;
}

const DAY_MS = 86_400_000;
const TENANTS_PER_PAGE = 200;
/** Batches one run may delete per table: a backlog (a first run on a years-old database) takes several runs. */
export const MAX_BATCHES_PER_TABLE = 1_000;

/**
 * Retention (docs/architecture.md, Retention): deletes what is past its window, in batches of
 * RETENTION_BATCH_SIZE rows, each its own short statement or transaction.
 *
 * - Commands ACKED or SUPERSEDED whose last change is older than COMMAND_RETENTION_DAYS, with
 *   their log, except the latest command of each domain (what the fleet view and support read
 *   first). Open commands (PENDING, DELIVERED, FAILED, DEAD_LETTER) are never touched.
 * - Audit entries older than AUDIT_RETENTION_DAYS: whole entries, oldest first, never one in the
 *   middle of the trail (the audit is append-only; retention only shortens it from its start).
 * - Ingested events, only when INGESTED_EVENT_RETENTION_DAYS is set: those received before the
 *   window and already read by the store's sales projection.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);
  private readonly deletedRows: Counter<'table'>;

  constructor(
    private readonly config: CloudConfig,
    private readonly retention: RetentionRepository,
    private readonly transactions: TransactionRunner,
    metrics: CloudMetrics,
  ) {
    this.deletedRows = new Counter({
      name: 'pos_cloud_retention_deleted_rows_total',
      help: 'Rows deleted by the retention job on this replica, by table',
      labelNames: ['table'] as const,
      registers: [metrics.registry],
    });
    for (const table of RETENTION_TABLES) this.deletedRows.inc({ table }, 0);
  }

  async applyAll(now = new Date()): Promise<RetentionReport> {
    const policy = this.config.retention;
    const report: RetentionReport = { deleted: { SyncCommand: 0, SyncCommandLog: 0, AuditLog: 0, IngestedEvent: 0 }, keptLatest: 0, complete: true };
    const budget: Record<'commands' | 'audit' | 'events', number> = {
      commands: MAX_BATCHES_PER_TABLE,
      audit: MAX_BATCHES_PER_TABLE,
      events: MAX_BATCHES_PER_TABLE,
    };
    const commandsBefore = new Date(now.getTime() - policy.commandDays * DAY_MS);
    const auditBefore = new Date(now.getTime() - policy.auditDays * DAY_MS);
    const eventsBefore = policy.ingestedEventDays === null ? null : new Date(now.getTime() - policy.ingestedEventDays * DAY_MS);
    let after = '';
    for (;;) {
      const tenants = await this.retention.tenantPage(after, TENANTS_PER_PAGE);
      if (tenants.length === 0) break;
      for (const tenantId of tenants) {
        const scope = tenantScope(tenantId);
        await this.commands(scope, commandsBefore, report, budget);
        await this.audit(scope, auditBefore, report, budget);
        if (eventsBefore) await this.events(scope, eventsBefore, report, budget);
      }
      after = tenants.at(-1)!;
    }
    report.complete = Object.values(budget).every((left) => left > 0);
    const total = Object.values(report.deleted).reduce((a, b) => a + b, 0);
    if (total > 0 || !report.complete)
      this.logger.log({ deleted: report.deleted, complete: report.complete }, `retention deleted ${total} row(s)${report.complete ? '' : '; more next run'}`);
    return report;
  }

  private async commands(scope: TenantScope, before: Date, report: RetentionReport, budget: { commands: number }): Promise<void> {
    const { batchSize } = this.config.retention;
    for (const status of FINISHED_STATUSES) {
      let cursor: CommandCursor | null = null;
      while (budget.commands > 0) {
        const batch = await this.retention.finishedCommands(scope, status, before, cursor, batchSize);
        if (batch.length === 0) break;
        budget.commands -= 1;
        cursor = { createdAt: batch.at(-1)!.createdAt, id: batch.at(-1)!.id };
        const domains = new Map<string, { storeId: string; domain: SyncDomain }>(
          batch.map((c) => [`${c.storeId}/${c.domain}`, { storeId: c.storeId, domain: c.domain }]),
        );
        const latest = await this.retention.latestSeqs(scope, [...domains.values()]);
        const ids = batch.filter((c) => c.seq < (latest.get(`${c.storeId}/${c.domain}`) ?? c.seq)).map((c) => c.id);
        report.keptLatest += batch.length - ids.length;
        const deleted = await this.transactions.run((tx) => this.retention.deleteCommands(tx, scope, ids));
        this.count(report, 'SyncCommand', deleted.commands);
        this.count(report, 'SyncCommandLog', deleted.logs);
        if (batch.length < batchSize) break;
      }
    }
  }

  private async audit(scope: TenantScope, before: Date, report: RetentionReport, budget: { audit: number }): Promise<void> {
    while (budget.audit > 0) {
      budget.audit -= 1;
      const { deleted, more } = await this.retention.deleteOldestAudit(scope, before, this.config.retention.batchSize);
      this.count(report, 'AuditLog', deleted);
      if (!more) break;
    }
  }

  private async events(scope: TenantScope, before: Date, report: RetentionReport, budget: { events: number }): Promise<void> {
    for (const { storeId, lastCloudSeq } of await this.retention.projectionCursors(scope)) {
      while (budget.events > 0) {
        budget.events -= 1;
        const { deleted, more } = await this.retention.deleteOldestEvents(scope, storeId, lastCloudSeq, before, this.config.retention.batchSize);
        this.count(report, 'IngestedEvent', deleted);
        if (!more) break;
      }
    }
  }

  private count(report: RetentionReport, table: RetentionTable, rows: number): void {
    if (rows === 0) return;
    report.deleted[table] += rows;
    this.deletedRows.inc({ table }, rows);
  }
}
