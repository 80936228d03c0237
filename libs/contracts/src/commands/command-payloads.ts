import { z } from 'zod';
import { idSchema, jsonValueSchema } from '../common/primitives.js';
import { MAX_MENU_ITEMS, menuItemSchema, skuSchema } from '../state/menu.js';
import { MAX_ROLES, storeRoleSchema } from '../state/roles.js';
import { MAX_SETTINGS, settingKeySchema, settingsValuesSchema } from '../state/settings.js';
import { MAX_USERS, storeUserSchema } from '../state/users.js';
import type { CommandType } from './command-types.js';

function uniqueBy<T>(key: (item: T) => string, label: string) {
  return (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate ${label} '${k}'` });
      seen.add(k);
    });
  };
}

const menuItemsSchema = z.array(menuItemSchema).max(MAX_MENU_ITEMS).superRefine(uniqueBy((i) => i.sku, 'sku'));
const usersSchema = z.array(storeUserSchema).max(MAX_USERS).superRefine(uniqueBy((u) => u.userId, 'userId'));
const rolesSchema = z.array(storeRoleSchema).max(MAX_ROLES).superRefine(uniqueBy((r) => r.roleId, 'roleId'));

export const settingsPatchPayloadSchema = z.object({
  /** `null` removes a key. */
  values: z
    .record(settingKeySchema, jsonValueSchema)
    .refine((v) => Object.keys(v).length >= 1, 'must change at least one key')
    .refine((v) => Object.keys(v).length <= MAX_SETTINGS, `must hold at most ${MAX_SETTINGS} keys`),
});

export const menuUpsertBatchPayloadSchema = z
  .object({
    items: menuItemsSchema,
    removeSkus: z.array(skuSchema).max(MAX_MENU_ITEMS).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.items.length === 0 && (p.removeSkus?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'must upsert or remove at least one item' });
    }
    const upserted = new Set(p.items.map((i) => i.sku));
    p.removeSkus?.forEach((sku, index) => {
      if (upserted.has(sku)) ctx.addIssue({ code: 'custom', path: ['removeSkus', index], message: `sku '${sku}' is both upserted and removed` });
    });
  });

export const userUpsertPayloadSchema = z.object({ users: usersSchema.refine((u) => u.length >= 1, 'must hold at least one user') });

export const rolePermissionsPatchPayloadSchema = z
  .object({
    roles: rolesSchema,
    removeRoleIds: z.array(idSchema).max(MAX_ROLES).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.roles.length === 0 && (p.removeRoleIds?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['roles'], message: 'must change or remove at least one role' });
    }
  });

export const settingsSnapshotPayloadSchema = z.object({ values: settingsValuesSchema });
export const menuSnapshotPayloadSchema = z.object({ items: menuItemsSchema });
export const usersSnapshotPayloadSchema = z.object({ users: usersSchema });
export const rolesSnapshotPayloadSchema = z.object({ roles: rolesSchema });

export const COMMAND_PAYLOAD_SCHEMAS = {
  SETTINGS_PATCH: settingsPatchPayloadSchema,
  MENU_UPSERT_BATCH: menuUpsertBatchPayloadSchema,
  USER_UPSERT: userUpsertPayloadSchema,
  ROLE_PERMISSIONS_PATCH: rolePermissionsPatchPayloadSchema,
  SETTINGS_SNAPSHOT: settingsSnapshotPayloadSchema,
  MENU_SNAPSHOT: menuSnapshotPayloadSchema,
  USERS_SNAPSHOT: usersSnapshotPayloadSchema,
  ROLES_SNAPSHOT: rolesSnapshotPayloadSchema,
} as const satisfies Record<CommandType, z.ZodType>;

export type CommandPayload<T extends CommandType> = z.infer<(typeof COMMAND_PAYLOAD_SCHEMAS)[T]>;
export type SettingsPatchPayload = CommandPayload<'SETTINGS_PATCH'>;
export type MenuUpsertBatchPayload = CommandPayload<'MENU_UPSERT_BATCH'>;
export type UserUpsertPayload = CommandPayload<'USER_UPSERT'>;
export type RolePermissionsPatchPayload = CommandPayload<'ROLE_PERMISSIONS_PATCH'>;
