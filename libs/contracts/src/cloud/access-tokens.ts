import { z } from 'zod';
import { idSchema } from '../common/primitives.js';
import { OPERATOR_ROLES } from './operator-api.js';

/**
 * Claims of the cloud's own access tokens (HS256, signed and verified only by the cloud; opaque to
 * the backoffice and the agent). The audience and `typ` keep the two kinds apart: an operator's
 * token never opens a node route and a node's never opens an operator route.
 */
export const OPERATOR_TOKEN_AUDIENCE = 'pos-cloud:operator';
export const NODE_TOKEN_AUDIENCE = 'pos-cloud:node';

export const operatorTokenClaimsSchema = z.object({
  typ: z.literal('operator'),
  sub: z.uuid(),
  tenantId: idSchema,
  role: z.enum(OPERATOR_ROLES),
  aud: z.literal(OPERATOR_TOKEN_AUDIENCE),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type OperatorTokenClaims = z.infer<typeof operatorTokenClaimsSchema>;

export const nodeTokenClaimsSchema = z.object({
  typ: z.literal('node'),
  sub: idSchema,
  tenantId: idSchema,
  storeId: idSchema,
  aud: z.literal(NODE_TOKEN_AUDIENCE),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type NodeTokenClaims = z.infer<typeof nodeTokenClaimsSchema>;
