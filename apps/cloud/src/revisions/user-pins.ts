import {
  publishUsersPayloadSchema,
  toPublicStoreUser,
  validate,
  ContractValidationError,
  type JsonValue,
  type PublishUsersPayload,
  type StoreUser,
} from '@app/contracts';
import { hashSecret, type ScryptCost } from '@app/crypto';

/** PINs are short: a slow hash, cheaper than a password's so a till can check one quickly. */
export const PIN_COST: ScryptCost = { logN: 14, r: 8, p: 1 };

/** Checks an operator's users patch: PINs in clear (4-8 digits), never a hash. */
export function parseUsersPatch(payload: unknown): PublishUsersPayload {
  const checked = validate(publishUsersPayloadSchema, payload, 'payload');
  if (!checked.ok) throw new ContractValidationError(checked.issues, 'request body');
  return checked.value;
}

/** Hashes the new PINs once, before any transaction (a hash takes tens of milliseconds). */
export async function hashNewPins(patch: PublishUsersPayload): Promise<Map<string, string>> {
  const entries = await Promise.all(patch.users.filter((u) => u.pin !== undefined).map(async (u) => [u.userId, await hashSecret(u.pin!, PIN_COST)] as const));
  return new Map(entries);
}

/**
 * The USER_UPSERT payload for one store: each user with its new PIN hash, or the hash it already
 * has in that store's desired state, so publishing a name change never loses a PIN.
 */
export function usersCommandPayload(
  patch: PublishUsersPayload,
  pinHashes: Map<string, string>,
  previous: { users?: StoreUser[] } | undefined,
): Record<string, JsonValue> {
  const existing = new Map((previous?.users ?? []).map((u) => [u.userId, u.pinHash]));
  return {
    users: patch.users.map(({ pin: _pin, ...user }) => {
      const pinHash = pinHashes.get(user.userId) ?? existing.get(user.userId);
      return pinHash ? { ...user, pinHash } : user;
    }),
  };
}

/** A users state or payload as operators may see it: whether a PIN is set, never its hash. */
export function withoutPinHashes(value: Record<string, unknown>): Record<string, unknown> {
  const users = value.users;
  if (!Array.isArray(users)) return value;
  return { ...value, users: (users as StoreUser[]).map(toPublicStoreUser) };
}
