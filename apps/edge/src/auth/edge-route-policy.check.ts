import { Injectable, type INestApplicationContext, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { listRoutes } from '@app/nest-kit';
import { EdgeAuthGuard } from './edge-auth.guard.js';
import { EDGE_ACCESS_POLICY, type EdgeAccessPolicy } from './edge-route.metadata.js';

/** Every HTTP route of the hub that does not say who may call it, or says so without its guard. */
export function edgeRoutePolicyProblems(app: Pick<INestApplicationContext, 'get'>): string[] {
  const problems: string[] = [];
  for (const route of listRoutes<EdgeAccessPolicy>(app, EDGE_ACCESS_POLICY)) {
    const where = `${route.method} ${route.path} (${route.controller}.${route.handler})`;
    if (!route.policy) problems.push(`${where} declares no access policy: add @EdgeRoute(...) or @PublicEdgeRoute()`);
    else if (route.policy.kind === 'token' && !route.guards.includes(EdgeAuthGuard)) problems.push(`${where} is a token route without EdgeAuthGuard`);
  }
  return problems;
}

/** Refuses to start a hub with a route that does not say who may call it. */
@Injectable()
export class EdgeRoutePolicyCheck implements OnApplicationBootstrap {
  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    const problems = edgeRoutePolicyProblems(this.moduleRef);
    if (problems.length > 0) throw new Error(`routes without an access policy:\n  ${problems.join('\n  ')}`);
  }
}
