import { z } from 'zod';
import { idSchema } from '../common/primitives.js';
import { CLUSTER_TOKEN_AUDIENCE } from './cluster-token-claims.js';

/**
 * The store's revoked nodes, as an ES256 JWT signed with the cluster key: the cloud puts it in the
 * heartbeat answer of the store's active node, whose agent hands it to its hub. The hub verifies it
 * with the cluster public key it already trusts and refuses every cluster token whose `sub` is
 * listed. A revoked agent cannot be relied on to report itself: the list reaches the hub through
 * the store's other (replacement) node. Revocations only add up, so an old list replayed can
 * revoke nothing that was not revoked, and can bring nothing back.
 */
export const NODE_REVOCATIONS_TOKEN_TYPE = 'node-revocations';

/** Most revocations one token carries (the newest); a store replaces its box a few times a year. */
export const MAX_REVOCATIONS_PER_TOKEN = 100;

export const revokedSubjectSchema = z.object({
  /** The revoked node's id: the `sub` of its agent tokens. */
  sub: idSchema,
  /** Unix seconds. */
  revokedAt: z.number().int().nonnegative(),
  /**
   * Unix seconds after which no cluster token the cloud issued for `sub` is valid (its last
   * token's `exp` at the latest). The hub keeps the entry until then plus its offline grace.
   */
  tokensExpireBy: z.number().int().nonnegative(),
});
export type RevokedSubject = z.infer<typeof revokedSubjectSchema>;

export const nodeRevocationsTokenClaimsSchema = z.object({
  aud: z.literal(CLUSTER_TOKEN_AUDIENCE),
  typ: z.literal(NODE_REVOCATIONS_TOKEN_TYPE),
  tenantId: idSchema,
  storeId: idSchema,
  revoked: z.array(revokedSubjectSchema).min(1).max(MAX_REVOCATIONS_PER_TOKEN),
  iat: z.number().int(),
});
export type NodeRevocationsTokenClaims = z.infer<typeof nodeRevocationsTokenClaimsSchema>;
