import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy.metadata.js';
import { NodeAuthGuard } from './node-auth.guard.js';
import { OperatorAuthGuard } from './operator-auth.guard.js';
import { RolesGuard } from './roles.guard.js';

export interface RouteInfo {
  controller: string;
  handler: string;
  method: string;
  path: string;
  policy: AccessPolicy | undefined;
  guards: unknown[];
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts.flatMap((p) => (Array.isArray(p) ? p.slice(0, 1) : p === undefined ? [] : [p]));
  return `/${segments.map((s) => s.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
}

/** Every HTTP route of the application with its declared access policy and guards. */
export function listRoutes(app: Pick<INestApplicationContext, 'get'>): RouteInfo[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = app.get(MetadataScanner, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!instance || !type) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      routes.push({
        controller: type.name,
        handler: name,
        method: RequestMethod[method],
        path: joinPath(Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined, Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined),
        policy: reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [handler, type]),
        guards: [...((Reflect.getMetadata(GUARDS_METADATA, type) as unknown[] | undefined) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [])],
      });
    }
  }
  return routes;
}

/** What is wrong with a route's access declaration, or null when it is sound. */
export function routePolicyProblem(route: RouteInfo): string | null {
  const where = `${route.method} ${route.path} (${route.controller}.${route.handler})`;
  if (!route.policy) return `${where} declares no access policy: add @Public(), @OperatorRoute(...) or @NodeRoute()`;
  if (route.policy.kind === 'operator' && !(route.guards.includes(OperatorAuthGuard) && route.guards.includes(RolesGuard))) return `${where} is an operator route without its guards`;
  if (route.policy.kind === 'operator' && route.policy.roles.length === 0) return `${where} allows no role at all`;
  if (route.policy.kind === 'node' && !route.guards.includes(NodeAuthGuard)) return `${where} is a node route without its guard`;
  return null;
}

export function routePolicyProblems(app: Pick<INestApplicationContext, 'get'>): string[] {
  return listRoutes(app)
    .map(routePolicyProblem)
    .filter((p): p is string => p !== null);
}
