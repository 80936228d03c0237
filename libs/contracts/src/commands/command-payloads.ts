import type { z } from 'zod';
import { DOMAIN_DEFINITIONS, type CommandPayloadSchemaOf, type CommandType } from '../domains/registry.js';

export { menuUpsertBatchPayloadSchema, menuStateSchema as menuSnapshotPayloadSchema } from '../domains/menu.domain.js';
export { rolePermissionsPatchPayloadSchema, rolesStateSchema as rolesSnapshotPayloadSchema } from '../domains/roles.domain.js';
export { settingsPatchPayloadSchema, settingsStateSchema as settingsSnapshotPayloadSchema } from '../domains/settings.domain.js';
export { userUpsertPayloadSchema, usersStateSchema as usersSnapshotPayloadSchema } from '../domains/users.domain.js';

/** Each command type's payload schema, from the registry: a patch's own, a snapshot's the domain's state. */
export const COMMAND_PAYLOAD_SCHEMAS = Object.fromEntries(
  DOMAIN_DEFINITIONS.flatMap((d) => [
    [d.patch.type, d.patch.schema],
    [d.snapshotType, d.state],
  ]),
) as { readonly [T in CommandType]: CommandPayloadSchemaOf<T> };

export type CommandPayload<T extends CommandType> = z.infer<CommandPayloadSchemaOf<T>>;
export type SettingsPatchPayload = CommandPayload<'SETTINGS_PATCH'>;
export type MenuUpsertBatchPayload = CommandPayload<'MENU_UPSERT_BATCH'>;
export type UserUpsertPayload = CommandPayload<'USER_UPSERT'>;
export type RolePermissionsPatchPayload = CommandPayload<'ROLE_PERMISSIONS_PATCH'>;
