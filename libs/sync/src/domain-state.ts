import {
  COMMAND_DOMAIN,
  type CommandType,
  type MenuItem,
  type SettingsValues,
  type StoreRole,
  type StoreUser,
  type SyncDomain,
  type CommandPayload,
  type JsonValue,
} from '@app/contracts';

/** The whole state of each synced domain of a store, as the edge holds it and the cloud desires it. */
export interface DomainStates {
  settings: { values: SettingsValues };
  menu: { items: MenuItem[] };
  users: { users: StoreUser[] };
  roles: { roles: StoreRole[] };
}

export function emptyDomainState<D extends SyncDomain>(domain: D): DomainStates[D] {
  const empty: DomainStates = { settings: { values: {} }, menu: { items: [] }, users: { users: [] }, roles: { roles: [] } };
  return empty[domain];
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

/**
 * Applies one command's payload (already validated) to a domain state. Pure: the edge uses it to
 * apply commands, the cloud to compute the desired state a revision leads to.
 */
export function applyCommandToState(type: CommandType, state: DomainStates[SyncDomain], payload: unknown): DomainStates[SyncDomain] {
  switch (type) {
    case 'SETTINGS_PATCH': {
      const values: Record<string, JsonValue> = { ...(state as DomainStates['settings']).values };
      for (const [key, value] of Object.entries((payload as CommandPayload<'SETTINGS_PATCH'>).values)) {
        if (value === null) delete values[key];
        else values[key] = value;
      }
      return { values: sortedRecord(values) };
    }
    case 'SETTINGS_SNAPSHOT':
      return { values: sortedRecord({ ...(payload as CommandPayload<'SETTINGS_SNAPSHOT'>).values }) };
    case 'MENU_UPSERT_BATCH': {
      const p = payload as CommandPayload<'MENU_UPSERT_BATCH'>;
      return { items: upsertBy((state as DomainStates['menu']).items, p.items, p.removeSkus ?? [], (i) => i.sku) };
    }
    case 'MENU_SNAPSHOT':
      return { items: sortBy([...(payload as CommandPayload<'MENU_SNAPSHOT'>).items], (i) => i.sku) };
    case 'USER_UPSERT':
      return { users: upsertBy((state as DomainStates['users']).users, (payload as CommandPayload<'USER_UPSERT'>).users, [], (u) => u.userId) };
    case 'USERS_SNAPSHOT':
      return { users: sortBy([...(payload as CommandPayload<'USERS_SNAPSHOT'>).users], (u) => u.userId) };
    case 'ROLE_PERMISSIONS_PATCH': {
      const p = payload as CommandPayload<'ROLE_PERMISSIONS_PATCH'>;
      return { roles: upsertBy((state as DomainStates['roles']).roles, p.roles, p.removeRoleIds ?? [], (r) => r.roleId) };
    }
    case 'ROLES_SNAPSHOT':
      return { roles: sortBy([...(payload as CommandPayload<'ROLES_SNAPSHOT'>).roles], (r) => r.roleId) };
  }
}

/** The snapshot payload that recreates a domain state exactly. */
export function snapshotPayloadOf(domain: SyncDomain, state: DomainStates[SyncDomain]): Record<string, unknown> {
  return { ...state } as Record<string, unknown>;
}

export function domainOfCommand(type: CommandType): SyncDomain {
  return COMMAND_DOMAIN[type];
}
