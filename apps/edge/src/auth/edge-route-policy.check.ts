import { Injectable, RequestMethod, type OnApplicationBootstrap } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { EdgeAuthGuard } from './edge-auth.guard.js';
import { EDGE_ACCESS_POLICY, type EdgeAccessPolicy } from './edge-route.metadata.js';

/** Every HTTP route of the hub that does not say who may call it, or says so without its guard. */
export function edgeRoutePolicyProblems(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): string[] {
  const problems: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!instance || !type) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const where = `${RequestMethod[method]} /${[Reflect.getMetadata(PATH_METADATA, type), Reflect.getMetadata(PATH_METADATA, handler)].filter((p) => p && p !== '/').join('/')} (${type.name}.${name})`;
      const policy = reflector.getAllAndOverride<EdgeAccessPolicy | undefined>(EDGE_ACCESS_POLICY, [handler, type]);
      const guards = [...((Reflect.getMetadata(GUARDS_METADATA, type) as unknown[] | undefined) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [])];
      if (!policy) problems.push(`${where} declares no access policy: add @EdgeRoute(...) or @PublicEdgeRoute()`);
      else if (policy.kind === 'token' && !guards.includes(EdgeAuthGuard)) problems.push(`${where} is a token route without EdgeAuthGuard`);
    }
  }
  return problems;
}

/** Refuses to start a hub with a route that does not say who may call it. */
@Injectable()
export class EdgeRoutePolicyCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const problems = edgeRoutePolicyProblems(this.discovery, this.scanner, this.reflector);
    if (problems.length > 0) throw new Error(`routes without an access policy:\n  ${problems.join('\n  ')}`);
  }
}
