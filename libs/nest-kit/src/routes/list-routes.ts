import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

/** One HTTP route of an application, with the access policy it declares under a metadata key and its guards. */
export interface RouteInfo<P> {
  controller: string;
  handler: string;
  method: string;
  path: string;
  policy: P | undefined;
  guards: unknown[];
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts.flatMap((p) => (Array.isArray(p) ? p.slice(0, 1) : p === undefined ? [] : [p]));
  return `/${segments.map((s) => s.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
}

/**
 * Every HTTP route of the application (the app needs `DiscoveryModule`), with the policy stored
 * under `policyKey` by its access decorators: what the apps' route-policy checks walk.
 */
export function listRoutes<P>(app: Pick<INestApplicationContext, 'get'>, policyKey: string): RouteInfo<P>[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = app.get(MetadataScanner, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  const routes: RouteInfo<P>[] = [];
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
        policy: reflector.getAllAndOverride<P | undefined>(policyKey, [handler, type]),
        guards: [...((Reflect.getMetadata(GUARDS_METADATA, type) as unknown[] | undefined) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? [])],
      });
    }
  }
  return routes;
}
