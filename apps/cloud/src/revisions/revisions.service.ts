import { Injectable } from '@nestjs/common';
import {
  ContractValidationError,
  PATCH_TYPE_OF_DOMAIN,
  SNAPSHOT_TYPE_OF_DOMAIN,
  SYNC_DOMAINS,
  uuidv7,
  validateCommandPayload,
  type DomainRevisionView,
  type DomainStateResponse,
  type LatestRevisionsResponse,
  type PublishRevisionRequest,
  type PublishRevisionResponse,
  type SyncDomain,
} from '@app/contracts';
import { applyCommandToState, emptyDomainState, type DomainStates } from '@app/sync';
import { AuditService } from '../audit/audit.service.js';
import { AuthException } from '../auth/auth.exception.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { operatorActor } from '../common/actor.js';
import { CommandWriter } from '../commands/command-writer.service.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { FleetService } from '../fleet/fleet.service.js';
import { StoresService } from '../stores/stores.service.js';
import { DomainStatesRepository } from '../sync-state/domain-states.repository.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { RevisionsException } from './revisions.exception.js';
import { RevisionsRepository } from './revisions.repository.js';

/**
 * Publishing a revision of one domain of one store: in one transaction, the domain is locked,
 * `ifMatchRevision` checked, the new whole state computed from the previous one, the revision
 * stored, a signed command created with the store's next seq, the desired revision moved and the
 * action audited. The store's long-polls are woken once it is committed.
 */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly stores: StoresService,
    private readonly fleet: FleetService,
    private readonly revisions: RevisionsRepository,
    private readonly domainStates: DomainStatesRepository,
    private readonly writer: CommandWriter,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  async publish(operator: OperatorPrincipal, storeId: string, request: PublishRevisionRequest): Promise<PublishRevisionResponse> {
    const { scope } = operator;
    const store = await this.stores.require(scope, storeId);
    if (operator.role === 'MENU_EDITOR' && request.domain !== 'menu') throw new AuthException('FORBIDDEN', 'a menu editor may only publish the menu');
    const type = PATCH_TYPE_OF_DOMAIN[request.domain];
    const payload = validateCommandPayload(type, request.payload);
    if (!payload.ok) throw new ContractValidationError(payload.issues, 'request body');
    const now = new Date();
    return this.transactions.run(async (tx) => {
      const domainState = await this.domainStates.lock(tx, scope, store.id, request.domain);
      const current = domainState.desiredRevision;
      if (request.ifMatchRevision !== undefined && request.ifMatchRevision !== current) throw RevisionsException.stale(request.ifMatchRevision, current);
      const previous = current > 0 ? ((await this.revisions.at(tx, scope, store.id, request.domain, current))?.state ?? null) : null;
      const state = applyCommandToState(type, (previous ?? emptyDomainState(request.domain)) as DomainStates[SyncDomain], payload.value);
      assertSnapshotFits(request.domain, state);
      const revision = current + 1;
      const revisionId = uuidv7(now.getTime());
      await this.revisions.insert(tx, scope, { id: revisionId, storeId: store.id, domain: request.domain, revision, commandType: type, payload: request.payload, state: state as Record<string, unknown>, publishedById: operator.operatorId }, now);
      const command = await this.writer.create(
        tx,
        scope,
        { storeId: store.id, domain: request.domain, type, revision, baseRevision: current, revisionId, payload: request.payload, actor: operatorActor(operator.operatorId), event: 'PUBLISHED' },
        now,
      );
      await this.domainStates.setDesired(tx, scope, store.id, request.domain, revision);
      await this.audit.record(tx, scope, {
        storeId: store.id,
        actor: operatorActor(operator.operatorId),
        action: 'revision.published',
        targetType: 'revision',
        targetId: revisionId,
        details: { domain: request.domain, revision, baseRevision: current, commandId: command.id, seq: command.seq, type },
      });
      return { revision, commandId: command.id };
    });
  }

  async latest(scope: TenantScope, storeId: string): Promise<LatestRevisionsResponse> {
    const store = await this.stores.require(scope, storeId);
    const [view] = await this.fleet.views(scope, [store]);
    const published = await this.revisions.latestPerDomain(scope, store.id);
    const domains = Object.fromEntries(
      SYNC_DOMAINS.map((domain) => {
        const last = published.find((p) => p.domain === domain);
        return [domain, { ...view!.domains[domain], publishedAt: last?.createdAt.toISOString() ?? null, publishedBy: last?.publishedBy ?? null }];
      }),
    ) as Record<SyncDomain, DomainRevisionView & { publishedAt: string | null; publishedBy: string | null }>;
    return { storeId: store.id, domains };
  }

  /** The desired state of one domain: what an editor loads, with the revision to send back as ifMatchRevision. */
  async desiredState(scope: TenantScope, storeId: string, domain: SyncDomain): Promise<DomainStateResponse> {
    const store = await this.stores.require(scope, storeId);
    const latest = await this.revisions.latestOfDomain(scope, store.id, domain);
    return {
      storeId: store.id,
      domain,
      revision: latest?.revision ?? 0,
      state: latest?.state ?? (emptyDomainState(domain) as Record<string, unknown>),
      publishedAt: latest?.createdAt.toISOString() ?? null,
      publishedBy: latest?.publishedBy ?? null,
    };
  }
}

/** The new state must be sendable as a snapshot (reconciliation's repair), e.g. within the item limits. */
function assertSnapshotFits(domain: SyncDomain, state: unknown): void {
  const check = validateCommandPayload(SNAPSHOT_TYPE_OF_DOMAIN[domain], state);
  if (!check.ok) {
    throw new ContractValidationError(
      check.issues.map((issue) => ({ path: 'payload', code: issue.code, message: `the ${domain} after this change would be invalid (${issue.path}: ${issue.message})` })),
      'request body',
    );
  }
}

