import type { z } from 'zod';
import type { OperatorRoleName } from '../common/operator-roles.js';
import { menuDomain } from './menu.domain.js';
import { rolesDomain } from './roles.domain.js';
import { settingsDomain } from './settings.domain.js';
import { usersDomain } from './users.domain.js';

/**
 * The synced domains, each declared once in its own file. Adding a domain is adding its file and
 * its line here, plus its apply rules in libs/sync (the compiler asks for them): see
 * docs/architecture.md, "Adding a domain".
 */
export const DOMAIN_DEFINITIONS = [settingsDomain, menuDomain, usersDomain, rolesDomain] as const;

type Definition = (typeof DOMAIN_DEFINITIONS)[number];

export type SyncDomain = Definition['name'];
export type DomainDefinitionOf<D extends SyncDomain> = Extract<Definition, { name: D }>;
export type PatchCommandType = Definition['patch']['type'];
export type SnapshotCommandType = Definition['snapshotType'];
export type CommandType = PatchCommandType | SnapshotCommandType;

/** The domain a command type belongs to. */
export type DomainOfCommand<T extends CommandType> = Extract<Definition, { patch: { type: T } } | { snapshotType: T }>['name'];

/** The whole state of a domain, as the hub holds it and the cloud desires it. */
export type DomainState<D extends SyncDomain> = z.infer<DomainDefinitionOf<D>['state']>;

/** The payload schema of a command type: the patch's own, or the domain's state for a snapshot. */
export type CommandPayloadSchemaOf<T extends CommandType> = T extends PatchCommandType
  ? Extract<Definition, { patch: { type: T } }>['patch']['schema']
  : Extract<Definition, { snapshotType: T }>['state'];

/** Each domain's definition by name. */
export const DOMAINS = Object.fromEntries(DOMAIN_DEFINITIONS.map((d) => [d.name, d])) as { readonly [D in SyncDomain]: DomainDefinitionOf<D> };

export function isSyncDomain(value: unknown): value is SyncDomain {
  return typeof value === 'string' && Object.hasOwn(DOMAINS, value);
}

/** Whether an operator of this role may publish the domain. */
export function mayPublishDomain(role: OperatorRoleName, domain: SyncDomain): boolean {
  return (DOMAINS[domain].publishRoles as readonly OperatorRoleName[]).includes(role);
}

/** A domain's state as devices see it: its public view where it declares one, else the state itself. */
export type PublicDomainState<D extends SyncDomain> = DomainDefinitionOf<D> extends { publicView: (state: never) => infer V } ? V : DomainState<D>;

/** A domain's state as devices read it from the hub (users never carry PIN hashes). */
export function publicViewOf<D extends SyncDomain>(domain: D, state: DomainState<D>): PublicDomainState<D> {
  const definition = DOMAINS[domain] as { publicView?: (state: DomainState<D>) => unknown };
  return (definition.publicView ? definition.publicView(state) : state) as PublicDomainState<D>;
}
