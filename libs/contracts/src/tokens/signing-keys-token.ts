import { z } from 'zod';
import { publicKeySchema } from '../nodes/node-api.js';
import { CLUSTER_TOKEN_AUDIENCE } from './cluster-token-claims.js';

/**
 * The cloud's command-signing public keys, as an ES256 JWT signed with the cluster key. A hub
 * trusts only its configured cluster public key; this token carries the command keys to it
 * (through the agent) so they can rotate without reconfiguring any hub. `iat` orders key sets: a
 * hub never replaces its keys with an older set.
 */
export const SIGNING_KEYS_TOKEN_TYPE = 'signing-keys';

export const signingKeysTokenClaimsSchema = z.object({
  aud: z.literal(CLUSTER_TOKEN_AUDIENCE),
  typ: z.literal(SIGNING_KEYS_TOKEN_TYPE),
  signingKeys: z.array(publicKeySchema).min(1),
  iat: z.number().int(),
});
export type SigningKeysTokenClaims = z.infer<typeof signingKeysTokenClaimsSchema>;
