import type { INestApplicationContext } from '@nestjs/common';
import { listRoutes as listRoutesOf, type RouteInfo as KitRouteInfo } from '@app/nest-kit';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy.metadata.js';
import { NodeAuthGuard } from './node-auth.guard.js';
import { OperatorAuthGuard } from './operator-auth.guard.js';
import { RolesGuard } from './roles.guard.js';

export type RouteInfo = KitRouteInfo<AccessPolicy>;

/** Every HTTP route of the cloud with its declared access policy and guards. */
export function listRoutes(app: Pick<INestApplicationContext, 'get'>): RouteInfo[] {
  return listRoutesOf<AccessPolicy>(app, ACCESS_POLICY);
}

/** What is wrong with a route's access declaration, or null when it is sound. */
export function routePolicyProblem(route: RouteInfo): string | null {
  const where = `${route.method} ${route.path} (${route.controller}.${route.handler})`;
  if (!route.policy) return `${where} declares no access policy: add @Public(), @OperatorRoute(...) or @NodeRoute()`;
  if (route.policy.kind === 'operator' && !(route.guards.includes(OperatorAuthGuard) && route.guards.includes(RolesGuard)))
    return `${where} is an operator route without its guards`;
  if (route.policy.kind === 'operator' && route.policy.roles.length === 0) return `${where} allows no role at all`;
  if (route.policy.kind === 'node' && !route.guards.includes(NodeAuthGuard)) return `${where} is a node route without its guard`;
  return null;
}

export function routePolicyProblems(app: Pick<INestApplicationContext, 'get'>): string[] {
  return listRoutes(app)
    .map(routePolicyProblem)
    .filter((p): p is string => p !== null);
}
