import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { GUARDS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

/** Something a handler reads from the request (`@Body()`, `@Query()`, `@Param(name)`), with the pipes that check it. */
export interface RouteInput {
  source: 'body' | 'query' | 'param';
  /** The property read (`@Param('storeId')`), or undefined for the whole body or query. */
  name: string | undefined;
  pipes: unknown[];
}

/** One HTTP route of an application, with the access policy it declares under a metadata key and its guards. */
export interface RouteInfo<P> {
  controller: string;
  handler: string;
  method: string;
  path: string;
  policy: P | undefined;
  guards: unknown[];
  /** The handler function, where method decorators keep their metadata. */
  handlerFunction: (...args: unknown[]) => unknown;
  inputs: RouteInput[];
  /** The status of a success: `@HttpCode`, else Nest's default (201 for POST, 200 otherwise). */
  successStatus: number;
}

const INPUT_SOURCES: Partial<Record<RouteParamtypes, RouteInput['source']>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'param',
};

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segments = parts.flatMap((p) => (Array.isArray(p) ? p.slice(0, 1) : p === undefined ? [] : [p]));
  return `/${segments
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}

/** The handler's arguments Nest fills from the body, the query and the path (keys are `<paramtype>:<index>`). */
function inputsOf(type: object, name: string): RouteInput[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, name) as Record<string, { index: number; data?: unknown; pipes?: unknown[] }> | undefined) ?? {};
  return Object.entries(args)
    .map(([key, arg]) => ({ source: INPUT_SOURCES[Number(key.split(':')[0]) as RouteParamtypes], arg }))
    .filter((a): a is { source: RouteInput['source']; arg: (typeof args)[string] } => a.source !== undefined)
    .sort((a, b) => a.arg.index - b.arg.index)
    .map(({ source, arg }) => ({ source, name: typeof arg.data === 'string' ? arg.data : undefined, pipes: arg.pipes ?? [] }));
}

/**
 * Every HTTP route of the application (the app needs `DiscoveryModule`), with the policy stored
 * under `policyKey` by its access decorators: what the apps' route-policy checks and the cloud's
 * OpenAPI document walk.
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
        path: joinPath(
          Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined,
          Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined,
        ),
        policy: reflector.getAllAndOverride<P | undefined>(policyKey, [handler, type]),
        guards: [
          ...((Reflect.getMetadata(GUARDS_METADATA, type) as unknown[] | undefined) ?? []),
          ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
        ],
        handlerFunction: handler,
        inputs: inputsOf(type, name),
        successStatus: (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200),
      });
    }
  }
  return routes;
}
