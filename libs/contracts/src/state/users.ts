import { z } from 'zod';
import { idSchema } from '../common/primitives.js';

/** A PIN hash as produced by `hashSecret` in @app/crypto (scrypt, self-describing). */
export const pinHashSchema = z.string().regex(/^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/, 'must be a scrypt hash');

export const storeUserSchema = z.object({
  userId: idSchema,
  displayName: z.string().trim().min(1, 'must not be empty').max(120),
  roleIds: z.array(idSchema).max(50),
  active: z.boolean(),
  pinHash: pinHashSchema.optional(),
});
export type StoreUser = z.infer<typeof storeUserSchema>;

/** A user as the edge serves it: never the PIN hash, only whether one is set. */
export type PublicStoreUser = Omit<StoreUser, 'pinHash'> & { hasPin: boolean };

export function toPublicStoreUser(user: StoreUser): PublicStoreUser {
  const { pinHash, ...rest } = user;
  return { ...rest, hasPin: pinHash !== undefined };
}

export const MAX_USERS = 2_000;
