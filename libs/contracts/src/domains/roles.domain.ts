import { z } from 'zod';
import { idSchema } from '../common/primitives.js';
import { MAX_ROLES, storeRoleSchema } from '../state/roles.js';
import { uniqueBy, type DomainDefinition } from './domain-definition.js';

const rolesSchema = z
  .array(storeRoleSchema)
  .max(MAX_ROLES)
  .superRefine(uniqueBy((r) => r.roleId, 'roleId'));

export const rolesStateSchema = z.object({ roles: rolesSchema });

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

/** The store's roles and the permissions each grants. */
export const rolesDomain = {
  name: 'roles',
  title: 'Roles',
  state: rolesStateSchema,
  empty: { roles: [] },
  patch: { type: 'ROLE_PERMISSIONS_PATCH', schema: rolePermissionsPatchPayloadSchema },
  snapshotType: 'ROLES_SNAPSHOT',
  publishRoles: ['ADMIN'],
  limits: { maxEntries: MAX_ROLES },
} as const satisfies DomainDefinition;
