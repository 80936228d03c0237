import { z } from 'zod';
import { MAX_USERS, storeUserSchema, toPublicStoreUser } from '../state/users.js';
import { uniqueBy, type DomainDefinition } from './domain-definition.js';

const usersSchema = z
  .array(storeUserSchema)
  .max(MAX_USERS)
  .superRefine(uniqueBy((u) => u.userId, 'userId'));

export const usersStateSchema = z.object({ users: usersSchema });

export const userUpsertPayloadSchema = z.object({ users: usersSchema.refine((u) => u.length >= 1, 'must hold at least one user') });

/** The store's staff: names, roles, whether active, and PIN hashes that devices never see. */
export const usersDomain = {
  name: 'users',
  title: 'Users',
  state: usersStateSchema,
  empty: { users: [] },
  patch: { type: 'USER_UPSERT', schema: userUpsertPayloadSchema },
  snapshotType: 'USERS_SNAPSHOT',
  publishRoles: ['ADMIN'],
  publicView: (state: z.infer<typeof usersStateSchema>) => ({ users: state.users.map(toPublicStoreUser) }),
  limits: { maxEntries: MAX_USERS },
} as const satisfies DomainDefinition;
