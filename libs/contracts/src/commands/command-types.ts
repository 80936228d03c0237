export const SYNC_DOMAINS = ['settings', 'menu', 'users', 'roles'] as const;
export type SyncDomain = (typeof SYNC_DOMAINS)[number];

export const PATCH_COMMAND_TYPES = ['SETTINGS_PATCH', 'MENU_UPSERT_BATCH', 'USER_UPSERT', 'ROLE_PERMISSIONS_PATCH'] as const;
export const SNAPSHOT_COMMAND_TYPES = ['SETTINGS_SNAPSHOT', 'MENU_SNAPSHOT', 'USERS_SNAPSHOT', 'ROLES_SNAPSHOT'] as const;
export const COMMAND_TYPES = [...PATCH_COMMAND_TYPES, ...SNAPSHOT_COMMAND_TYPES] as const;

export type PatchCommandType = (typeof PATCH_COMMAND_TYPES)[number];
export type SnapshotCommandType = (typeof SNAPSHOT_COMMAND_TYPES)[number];
export type CommandType = (typeof COMMAND_TYPES)[number];

export const COMMAND_DOMAIN: Readonly<Record<CommandType, SyncDomain>> = {
  SETTINGS_PATCH: 'settings',
  SETTINGS_SNAPSHOT: 'settings',
  MENU_UPSERT_BATCH: 'menu',
  MENU_SNAPSHOT: 'menu',
  USER_UPSERT: 'users',
  USERS_SNAPSHOT: 'users',
  ROLE_PERMISSIONS_PATCH: 'roles',
  ROLES_SNAPSHOT: 'roles',
};

/** The command an operator's publish of a domain becomes. */
export const PATCH_TYPE_OF_DOMAIN: Readonly<Record<SyncDomain, PatchCommandType>> = {
  settings: 'SETTINGS_PATCH',
  menu: 'MENU_UPSERT_BATCH',
  users: 'USER_UPSERT',
  roles: 'ROLE_PERMISSIONS_PATCH',
};

/** The command reconciliation sends to repair a domain: the whole desired state. */
export const SNAPSHOT_TYPE_OF_DOMAIN: Readonly<Record<SyncDomain, SnapshotCommandType>> = {
  settings: 'SETTINGS_SNAPSHOT',
  menu: 'MENU_SNAPSHOT',
  users: 'USERS_SNAPSHOT',
  roles: 'ROLES_SNAPSHOT',
};

export function isSnapshotCommandType(type: CommandType): type is SnapshotCommandType {
  return (SNAPSHOT_COMMAND_TYPES as readonly string[]).includes(type);
}
