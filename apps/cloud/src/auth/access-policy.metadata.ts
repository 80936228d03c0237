import type { OperatorRoleName } from '@app/contracts';

/** Metadata key of a route's access policy (set by Public, OperatorRoute and NodeRoute). */
export const ACCESS_POLICY = 'pos:access-policy';

export type AccessPolicy = { kind: 'public' } | { kind: 'operator'; roles: readonly OperatorRoleName[] } | { kind: 'node' };
