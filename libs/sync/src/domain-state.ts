import {
  COMMAND_DOMAIN,
  DOMAINS,
  type CommandPayload,
  type CommandType,
  type DomainOfCommand,
  type DomainState,
  type JsonValue,
  type SyncDomain,
} from '@app/contracts';

/** The whole state of each synced domain of a store, as the edge holds it and the cloud desires it (from the registry). */
export type DomainStates = { [D in SyncDomain]: DomainState<D> };

export function emptyDomainState<D extends SyncDomain>(domain: D): DomainStates[D] {
  return structuredClone(DOMAINS[domain].empty) as unknown as DomainStates[D];
}

function upsertBy<T>(current: readonly T[], updates: readonly T[], removals: readonly string[], key: (item: T) => string): T[] {
  const byKey = new Map(current.map((item) => [key(item), item]));
  for (const k of removals) byKey.delete(k);
  for (const item of updates) byKey.set(key(item), item);
  return sortBy([...byKey.values()], key);
}

function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function sortedRecord(values: Record<string, JsonValue>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export type ApplyRule<T extends CommandType> = (state: DomainStates[DomainOfCommand<T>], payload: CommandPayload<T>) => DomainStates[DomainOfCommand<T>];

/**
 * How each command type changes its domain's state. Keyed by every command type of the registry:
 * a domain added there without its rules here does not compile. Each rule returns the state in
 * its canonical order (keys and lists sorted by id), so equal states serialise equally.
 */
export type ApplyRules = { readonly [T in CommandType]: ApplyRule<T> };

const APPLY_RULES: ApplyRules = {
  SETTINGS_PATCH: (state, payload) => {
    const values: Record<string, JsonValue> = { ...state.values };
    for (const [key, value] of Object.entries(payload.values)) {
      if (value === null) delete values[key];
      else values[key] = value;
    }
    return { values: sortedRecord(values) };
  },
  SETTINGS_SNAPSHOT: (_state, payload) => ({ values: sortedRecord({ ...payload.values }) }),
  MENU_UPSERT_BATCH: (state, payload) => ({ items: upsertBy(state.items, payload.items, payload.removeSkus ?? [], (i) => i.sku) }),
  MENU_SNAPSHOT: (_state, payload) => ({ items: sortBy([...payload.items], (i) => i.sku) }),
  USER_UPSERT: (state, payload) => ({ users: upsertBy(state.users, payload.users, [], (u) => u.userId) }),
  USERS_SNAPSHOT: (_state, payload) => ({ users: sortBy([...payload.users], (u) => u.userId) }),
  ROLE_PERMISSIONS_PATCH: (state, payload) => ({ roles: upsertBy(state.roles, payload.roles, payload.removeRoleIds ?? [], (r) => r.roleId) }),
  ROLES_SNAPSHOT: (_state, payload) => ({ roles: sortBy([...payload.roles], (r) => r.roleId) }),
};

/**
 * Applies one command's payload (already validated) to a domain state. Pure: the edge uses it to
 * apply commands, the cloud to compute the desired state a revision leads to.
 */
export function applyCommandToState(type: CommandType, state: DomainStates[SyncDomain], payload: unknown): DomainStates[SyncDomain] {
  const rule = APPLY_RULES[type] as (state: DomainStates[SyncDomain], payload: unknown) => DomainStates[SyncDomain];
  return rule(state, payload);
}

/** The snapshot payload that recreates a domain state exactly. */
export function snapshotPayloadOf(domain: SyncDomain, state: DomainStates[SyncDomain]): Record<string, unknown> {
  return { ...state } as Record<string, unknown>;
}

export function domainOfCommand(type: CommandType): SyncDomain {
  return COMMAND_DOMAIN[type];
}
