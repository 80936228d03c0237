import { z } from 'zod';
import { idSchema } from '../common/primitives.js';

export const permissionSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z*][a-z0-9_.:*-]*$/, 'must be lower case letters, digits, or _ . : * -');

export const storeRoleSchema = z.object({
  roleId: idSchema,
  name: z.string().trim().min(1, 'must not be empty').max(120),
  permissions: z.array(permissionSchema).max(200),
});
export type StoreRole = z.infer<typeof storeRoleSchema>;

export const MAX_ROLES = 500;
