import { DOMAIN_DEFINITIONS, DOMAINS, type CommandType, type PatchCommandType, type SnapshotCommandType, type SyncDomain } from '../domains/registry.js';

export type { CommandType, PatchCommandType, SnapshotCommandType, SyncDomain } from '../domains/registry.js';

// Every list below is derived from the domain registry (libs/contracts/src/domains).

type NonEmpty<T> = readonly [T, ...T[]];

export const SYNC_DOMAINS = DOMAIN_DEFINITIONS.map((d) => d.name) as unknown as NonEmpty<SyncDomain>;
export const PATCH_COMMAND_TYPES = DOMAIN_DEFINITIONS.map((d) => d.patch.type) as unknown as NonEmpty<PatchCommandType>;
export const SNAPSHOT_COMMAND_TYPES = DOMAIN_DEFINITIONS.map((d) => d.snapshotType) as unknown as NonEmpty<SnapshotCommandType>;
export const COMMAND_TYPES = [...PATCH_COMMAND_TYPES, ...SNAPSHOT_COMMAND_TYPES] as unknown as NonEmpty<CommandType>;

export const COMMAND_DOMAIN = Object.fromEntries(
  DOMAIN_DEFINITIONS.flatMap((d) => [
    [d.patch.type, d.name],
    [d.snapshotType, d.name],
  ]),
) as Readonly<Record<CommandType, SyncDomain>>;

/** The command an operator's publish of a domain becomes. */
export const PATCH_TYPE_OF_DOMAIN = Object.fromEntries(SYNC_DOMAINS.map((d) => [d, DOMAINS[d].patch.type])) as Readonly<Record<SyncDomain, PatchCommandType>>;

/** The command reconciliation sends to repair a domain: the whole desired state. */
export const SNAPSHOT_TYPE_OF_DOMAIN = Object.fromEntries(SYNC_DOMAINS.map((d) => [d, DOMAINS[d].snapshotType])) as Readonly<
  Record<SyncDomain, SnapshotCommandType>
>;

export function isSnapshotCommandType(type: CommandType): type is SnapshotCommandType {
  return (SNAPSHOT_COMMAND_TYPES as readonly string[]).includes(type);
}

export function isCommandType(value: unknown): value is CommandType {
  return typeof value === 'string' && (COMMAND_TYPES as readonly string[]).includes(value);
}
