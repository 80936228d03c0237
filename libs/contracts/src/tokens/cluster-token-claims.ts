import { z } from 'zod';
import { idSchema } from '../common/primitives.js';

export const CLUSTER_TOKEN_AUDIENCE = 'pos-hub';
export const CLUSTER_ROLES = ['device', 'agent'] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

/** Claims of a cluster token (SYSTEM.md 4.5): ES256, signed by the cloud, verified offline by the hub. */
export const clusterTokenClaimsSchema = z.object({
  sub: idSchema,
  tenantId: idSchema,
  storeId: idSchema,
  role: z.enum(CLUSTER_ROLES),
  aud: z.literal(CLUSTER_TOKEN_AUDIENCE),
  exp: z.number().int(),
  nbf: z.number().int(),
  iat: z.number().int().optional(),
});
export type ClusterTokenClaims = z.infer<typeof clusterTokenClaimsSchema>;
