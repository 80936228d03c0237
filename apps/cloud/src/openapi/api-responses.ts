import type { z } from 'zod';
import { componentRef } from './api-components.js';
import type { DocumentedError } from './api-errors.js';

const RESPONSES = 'pos:openapi:responses';
const ERRORS = 'pos:openapi:errors';

export interface DocumentedResponse {
  schema: z.ZodType;
  /** Default: the route's success status (`@HttpCode`, else 201 for POST and 200 otherwise). */
  status?: number;
  description?: string;
}

type Handler<T> = (...args: never[]) => T | Promise<T>;

function append<T>(key: string, handler: object, items: T[]): void {
  Reflect.defineMetadata(key, [...((Reflect.getMetadata(key, handler) as T[] | undefined) ?? []), ...items], handler);
}

/**
 * Documents what the handler answers with a schema of libs/contracts (one of the document's named
 * components). The handler must return that schema's type: a route that starts returning something
 * else no longer compiles until its documentation follows.
 */
export function ApiZodResponse<S extends z.ZodType>(schema: S, options: Omit<DocumentedResponse, 'schema'> = {}) {
  componentRef(schema);
  return <F extends Handler<z.output<S>>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<F>): void => {
    append<DocumentedResponse>(RESPONSES, descriptor.value!, [{ schema, ...options }]);
  };
}

/**
 * The errors of this route beyond those every route of its kind gets (authentication, validation,
 * malformed or oversized bodies, 500), which route-docs.ts derives from the route's declarations.
 */
export function ApiErrors(...errors: DocumentedError[]): MethodDecorator {
  return (_target, _key, descriptor) => append<DocumentedError>(ERRORS, descriptor.value as object, errors);
}

export const documentedResponses = (handler: object): DocumentedResponse[] =>
  (Reflect.getMetadata(RESPONSES, handler) as DocumentedResponse[] | undefined) ?? [];
export const documentedErrors = (handler: object): DocumentedError[] => (Reflect.getMetadata(ERRORS, handler) as DocumentedError[] | undefined) ?? [];
