import { SetMetadata, UseGuards, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ClusterRole, ClusterTokenClaims } from '@app/contracts';
import { EdgeAuthGuard } from './edge-auth.guard.js';
import { EDGE_ACCESS_POLICY, type EdgeAccessPolicy } from './edge-route.metadata.js';

/**
 * A route for callers with a valid cluster token of one of these roles. `device` routes also admit
 * the agent; name `agent` alone for the agent's write surface (commands, outbox cursor).
 */
export const EdgeRoute = (...roles: [ClusterRole, ...ClusterRole[]]) =>
  applyDecorators(SetMetadata(EDGE_ACCESS_POLICY, { kind: 'token', roles } satisfies EdgeAccessPolicy), UseGuards(EdgeAuthGuard));

/** Anyone on the LAN: /healthz, /status and /metrics. */
export const PublicEdgeRoute = () => SetMetadata(EDGE_ACCESS_POLICY, { kind: 'public' } satisfies EdgeAccessPolicy);

/** The verified claims of the caller's cluster token (only on an EdgeRoute). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): ClusterTokenClaims => {
  const user = context.switchToHttp().getRequest<{ user?: ClusterTokenClaims }>().user;
  if (!user) throw new Error('Caller used on a route that is not an EdgeRoute');
  return user;
});
