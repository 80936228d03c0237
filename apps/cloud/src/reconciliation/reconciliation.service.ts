import { Injectable, Logger } from '@nestjs/common';
import { SNAPSHOT_TYPE_OF_DOMAIN, type JsonValue, type SyncDomain } from '@app/contracts';
import { snapshotPayloadOf, type DomainStates } from '@app/sync';
import { AuditService } from '../audit/audit.service.js';
import { SYSTEM_ACTOR } from '../common/actor.js';
import { CommandTimersService } from '../commands/command-timers.service.js';
import { CommandTransitions } from '../commands/command-transitions.service.js';
import { CommandWriter } from '../commands/command-writer.service.js';
import { CommandsRepository } from '../commands/commands.repository.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { RevisionsRepository } from '../revisions/revisions.repository.js';
import { DomainStatesRepository } from '../sync-state/domain-states.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { ReconciliationRepository, type ReconcileCandidate } from './reconciliation.repository.js';
import { repairReason, type RepairReason } from './repair-rule.js';

const STORES_PER_PAGE = 200;
/** Bounds one pass: 2,000 pages of 200 stores. */
const MAX_PAGES = 2_000;

export interface Repair {
  tenantId: string;
  storeId: string;
  domain: SyncDomain;
  reason: RepairReason;
  revision: number;
  snapshotCommandId: string;
  superseded: string[];
}

export interface ReconcileReport {
  storesChecked: number;
  repairs: Repair[];
  failures: number;
  rearmed: { ackTimeouts: number; retries: number };
}

/**
 * The periodic repair of SYSTEM.md section 3: compares each store's desired revisions with the
 * applied ones and sends a snapshot of the desired state where a store drifted or a patch can no
 * longer apply (see repairReason). The snapshot supersedes the domain's open commands in the same
 * transaction, so a domain never has two open snapshots. It also re-arms lost command timers.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly reconciliation: ReconciliationRepository,
    private readonly domainStates: DomainStatesRepository,
    private readonly commands: CommandsRepository,
    private readonly revisions: RevisionsRepository,
    private readonly writer: CommandWriter,
    private readonly transitions: CommandTransitions,
    private readonly timers: CommandTimersService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  async reconcileAll(now = new Date()): Promise<ReconcileReport> {
    const report: ReconcileReport = { storesChecked: 0, repairs: [], failures: 0, rearmed: { ackTimeouts: 0, retries: 0 } };
    let after = '';
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const storeIds = await this.reconciliation.storePage(after, STORES_PER_PAGE);
      if (storeIds.length === 0) break;
      report.storesChecked += storeIds.length;
      for (const candidate of await this.reconciliation.candidates(storeIds)) {
        if (!repairReason(candidate, now)) continue;
        try {
          const repair = await this.repair(candidate, now);
          if (repair) report.repairs.push(repair);
        } catch (error) {
          report.failures += 1;
          this.logger.error(`reconciling ${candidate.domain} of store ${candidate.storeId} failed: ${(error as Error).message}`);
        }
      }
      after = storeIds.at(-1)!;
    }
    report.rearmed = await this.timers.rearmLost(now);
    if (report.repairs.length > 0) this.logger.log(`reconciliation sent ${report.repairs.length} snapshot(s)`);
    return report;
  }

  /** Re-checks the domain under its lock (things move between the scan and here) and repairs it. */
  async repair(candidate: Pick<ReconcileCandidate, 'tenantId' | 'storeId' | 'domain'>, now = new Date()): Promise<Repair | null> {
    const scope = tenantScope(candidate.tenantId);
    const { storeId, domain } = candidate;
    return this.transactions.run(async (tx) => {
      const state = await this.domainStates.lock(tx, scope, storeId, domain);
      const open = await this.commands.lockOpenOfDomain(tx, scope, storeId, domain);
      const reason = repairReason({ desiredRevision: state.desiredRevision, appliedRevision: state.appliedRevision, head: open[0] ?? null }, now);
      if (!reason) return null;
      const desired = await this.revisions.at(tx, scope, storeId, domain, state.desiredRevision);
      if (!desired) {
        this.logger.error(`store ${storeId} desires ${domain} revision ${state.desiredRevision}, which does not exist`);
        return null;
      }
      const snapshot = await this.writer.create(
        tx,
        scope,
        {
          storeId,
          domain,
          type: SNAPSHOT_TYPE_OF_DOMAIN[domain],
          revision: state.desiredRevision,
          baseRevision: null,
          revisionId: desired.id,
          payload: snapshotPayloadOf(domain, desired.state as unknown as DomainStates[SyncDomain]) as Record<string, JsonValue>,
          actor: SYSTEM_ACTOR,
          event: 'RECONCILED',
        },
        now,
      );
      for (const row of open) await this.transitions.apply(tx, scope, row, { type: 'SUPERSEDE' }, { actor: SYSTEM_ACTOR, now, supersededById: snapshot.id });
      const superseded = open.map((r) => r.id);
      await this.audit.record(tx, scope, {
        storeId,
        actor: SYSTEM_ACTOR,
        action: 'store.reconciled',
        targetType: 'store',
        targetId: storeId,
        details: { domain, reason, desiredRevision: state.desiredRevision, appliedRevision: state.appliedRevision, snapshotCommandId: snapshot.id, superseded },
      });
      return { tenantId: scope.tenantId, storeId, domain, reason, revision: state.desiredRevision, snapshotCommandId: snapshot.id, superseded };
    });
  }
}
