import { Injectable } from '@nestjs/common';
import {
  mayPublishDomain,
  ContractValidationError,
  MAX_COMMAND_PAYLOAD_BYTES,
  PATCH_TYPE_OF_DOMAIN,
  SNAPSHOT_TYPE_OF_DOMAIN,
  SYNC_DOMAINS,
  jsonByteLength,
  uuidv7,
  validateCommandPayload,
  type DomainRevisionView,
  type DomainStateResponse,
  type LatestRevisionsResponse,
  type JsonValue,
  type PublishFleetRevisionRequest,
  type PublishFleetRevisionResponse,
  type PublishRevisionRequest,
  type PublishRevisionResponse,
  type SyncDomain,
} from '@app/contracts';
import { applyCommandToState, emptyDomainState, planRevisionCommand, snapshotPayloadOf, type DomainStates, type RevisionCommandPlan } from '@app/sync';
import { AuditService } from '../audit/audit.service.js';
import { AuthException } from '../auth/auth.exception.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { operatorActor } from '../common/actor.js';
import { CommandTransitions } from '../commands/command-transitions.service.js';
import { CommandWriter, type NewCommand } from '../commands/command-writer.service.js';
import { CommandsRepository } from '../commands/commands.repository.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { FleetService } from '../fleet/fleet.service.js';
import { StoresService } from '../stores/stores.service.js';
import { DomainStatesRepository } from '../sync-state/domain-states.repository.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { RevisionsException } from './revisions.exception.js';
import { RevisionsRepository, type NewRevision } from './revisions.repository.js';
import { hashNewPins, parseUsersPatch, usersCommandPayload, withoutPinHashes } from './user-pins.js';

/**
 * Publishing a revision of one domain, to one store or to many: in one transaction, the domain is
 * locked, `ifMatchRevision` checked, the new whole state computed from the previous one, the
 * revision stored, a signed command created with the store's next seq, the desired revision moved
 * and the action audited. The stores' long-polls are woken once it is committed.
 *
 * Where the domain's head command is a dead letter, the command is a snapshot of the new state
 * that supersedes it and whatever waits behind it (planRevisionCommand in libs/sync): a patch
 * would build on a revision the store never applied.
 */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly stores: StoresService,
    private readonly fleet: FleetService,
    private readonly revisions: RevisionsRepository,
    private readonly domainStates: DomainStatesRepository,
    private readonly writer: CommandWriter,
    private readonly commands: CommandsRepository,
    private readonly transitions: CommandTransitions,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  async publish(operator: OperatorPrincipal, storeId: string, request: PublishRevisionRequest): Promise<PublishRevisionResponse> {
    const store = await this.stores.require(operator.scope, storeId);
    const [published] = await this.publishTo(operator, [store.id], request.domain, request.payload, request.ifMatchRevision);
    return { revision: published!.revision, commandId: published!.commandId };
  }

  /** The same change to many stores in one transaction: every store gets its revision, or none does. */
  async publishFleet(operator: OperatorPrincipal, request: PublishFleetRevisionRequest): Promise<PublishFleetRevisionResponse> {
    const stores = await this.stores.requireAll(operator.scope, request.storeIds);
    return {
      revisions: await this.publishTo(
        operator,
        stores.map((s) => s.id),
        request.domain,
        request.payload,
      ),
    };
  }

  /**
   * One revision per store, each on top of that store's current desired state. The statements are
   * the same for one store or a thousand: locks, previous states, revisions, seqs, commands, logs,
   * desired revisions and audit entries each go in one multi-row statement.
   */
  private async publishTo(
    operator: OperatorPrincipal,
    storeIds: readonly string[],
    domain: SyncDomain,
    payload: Record<string, JsonValue>,
    ifMatchRevision?: number,
  ): Promise<(PublishRevisionResponse & { storeId: string })[]> {
    const { scope } = operator;
    if (!mayPublishDomain(operator.role, domain))
      throw new AuthException(
        'FORBIDDEN',
        operator.role === 'MENU_EDITOR' ? 'a menu editor may only publish the menu' : `an operator of role ${operator.role} may not publish ${domain}`,
      );
    const type = PATCH_TYPE_OF_DOMAIN[domain];
    // Users come with PINs in clear: hashed here, before the transaction, and merged per store below.
    const usersPatch = domain === 'users' ? parseUsersPatch(payload) : null;
    const pinHashes = usersPatch ? await hashNewPins(usersPatch) : null;
    if (!usersPatch) {
      const checked = validateCommandPayload(type, payload);
      if (!checked.ok) throw new ContractValidationError(checked.issues, 'request body');
    }
    const now = new Date();
    const actor = operatorActor(operator.operatorId);
    return this.transactions.run(async (tx) => {
      const locked = await this.domainStates.lockMany(tx, scope, storeIds, domain);
      const current = new Map(locked.map((l) => [l.storeId, l.desiredRevision]));
      if (ifMatchRevision !== undefined) {
        const stale = storeIds.find((id) => current.get(id) !== ifMatchRevision);
        if (stale !== undefined) throw RevisionsException.stale(ifMatchRevision, current.get(stale)!);
      }
      const previous = await this.revisions.statesAt(
        tx,
        scope,
        domain,
        storeIds.map((storeId) => ({ storeId, revision: current.get(storeId)! })),
      );
      const blocked = await this.commands.lockOpenBehindDeadLetters(tx, scope, storeIds, domain);
      const revisions = storeIds.map((storeId): NewRevision => {
        const before = (previous.get(storeId) ?? emptyDomainState(domain)) as DomainStates[SyncDomain];
        const storePayload = usersPatch ? usersCommandPayload(usersPatch, pinHashes!, before as DomainStates['users']) : payload;
        const checked = validateCommandPayload(type, storePayload);
        if (!checked.ok) throw new ContractValidationError(checked.issues, 'request body');
        assertFitsOneCommand(storeId, domain, 'payload', storePayload);
        const state = applyCommandToState(type, before, checked.value) as Record<string, unknown>;
        assertSnapshotFits(domain, state);
        assertFitsOneCommand(storeId, domain, 'state', state);
        return {
          id: uuidv7(now.getTime()),
          storeId,
          domain,
          revision: current.get(storeId)! + 1,
          commandType: type,
          payload: storePayload,
          state,
          publishedById: operator.operatorId,
        };
      });
      await this.revisions.insertMany(tx, scope, revisions, now);
      const plans = revisions.map((r) => planRevisionCommand(blocked.get(r.storeId) ?? [], r.revision));
      const commands = await this.writer.createMany(
        tx,
        scope,
        revisions.map((r, i): NewCommand => {
          const base = { storeId: r.storeId, domain, revision: r.revision, revisionId: r.id, actor, event: 'PUBLISHED' as const };
          if (plans[i]!.send === 'patch') return { ...base, type, baseRevision: r.revision - 1, payload: r.payload };
          return {
            ...base,
            type: SNAPSHOT_TYPE_OF_DOMAIN[domain],
            baseRevision: null,
            payload: snapshotPayloadOf(domain, r.state as unknown as DomainStates[SyncDomain]) as Record<string, JsonValue>,
          };
        }),
        now,
      );
      for (const [i, plan] of plans.entries()) {
        if (plan.send !== 'snapshot') continue;
        for (const row of blocked.get(revisions[i]!.storeId)!) {
          await this.transitions.apply(tx, scope, row, { type: 'SUPERSEDE' }, { actor, now, supersededById: commands[i]!.id });
        }
      }
      await this.domainStates.advanceDesired(tx, scope, storeIds, domain, now);
      await this.audit.record(
        tx,
        scope,
        ...revisions.map((r, i) => ({
          storeId: r.storeId,
          actor,
          action: 'revision.published',
          targetType: 'revision',
          targetId: r.id,
          details: {
            domain,
            revision: r.revision,
            baseRevision: commands[i]!.baseRevision,
            commandId: commands[i]!.id,
            seq: commands[i]!.seq,
            type: commands[i]!.type,
            ...supersededDetails(plans[i]!),
            ...(storeIds.length > 1 ? { fleet: storeIds.length } : {}),
          },
        })),
      );
      return revisions.map((r, i) => ({ storeId: r.storeId, revision: r.revision, commandId: commands[i]!.id }));
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
      state: withoutPinHashes(latest?.state ?? (emptyDomainState(domain) as Record<string, unknown>)),
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
      check.issues.map((issue) => ({
        path: 'payload',
        code: issue.code,
        message: `the ${domain} after this change would be invalid (${issue.path}: ${issue.message})`,
      })),
      'request body',
    );
  }
}

/**
 * A command's payload, the change (a patch) or the whole state (the snapshot reconciliation sends
 * to repair the domain), must fit the largest envelope a hub accepts; checked before anything is
 * stored, so that no command is ever signed that the hub refuses on every try.
 */
function assertFitsOneCommand(storeId: string, domain: SyncDomain, part: 'payload' | 'state', value: unknown): void {
  const sizeBytes = jsonByteLength(value);
  if (sizeBytes > MAX_COMMAND_PAYLOAD_BYTES) throw RevisionsException.tooLarge({ storeId, domain, part, sizeBytes, limitBytes: MAX_COMMAND_PAYLOAD_BYTES });
}

/** What the audit entry of a publish says of a dead letter its snapshot superseded. */
function supersededDetails(plan: RevisionCommandPlan): Record<string, unknown> {
  return plan.send === 'snapshot' ? { supersededDeadLetter: plan.deadLetter, superseded: plan.supersede } : {};
}
