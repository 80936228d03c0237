import request from 'supertest';
import type { App } from 'supertest/types.js';

/** The parts of an OpenAPI 3.0 document the cloud's tests read. */
export interface ApiParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { type?: string; enum?: string[]; format?: string; pattern?: string };
}

export interface ApiMediaType {
  schema?: { $ref?: string; allOf?: [{ $ref: string }, { properties: { statusCode: { enum: number[] }; code: { enum: string[] } } }] };
  examples?: Record<string, { value: unknown }>;
}

export interface ApiOperation {
  operationId?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: ApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, ApiMediaType> };
  responses: Record<string, { description: string; content?: Record<string, ApiMediaType> }>;
}

export interface ApiDocument {
  openapi: string;
  info: { title: string; description?: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, ApiOperation>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
}

/** One operation of the document: `key` is `GET /api/v1/stores/{storeId}`. */
export interface DocumentedOperation {
  key: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  operation: ApiOperation;
}

export async function fetchApiDocument(server: App): Promise<ApiDocument> {
  return (await request(server).get('/api/docs-json').expect(200).expect('content-type', /json/)).body as ApiDocument;
}

export function operationsOf(doc: ApiDocument): DocumentedOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method as DocumentedOperation['method'],
      path,
      operation,
    })),
  );
}

export const pathParametersOf = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** The path with each `{name}` replaced by its value. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(value);
  });
}

/** The `code` values the operation documents for this status (empty when it documents none). */
export function documentedCodes(operation: ApiOperation, status: number): string[] {
  return operation.responses[String(status)]?.content?.['application/json']?.schema?.allOf?.[1].properties.code.enum ?? [];
}

/**
 * What is wrong with an error answer as the document has it, or null: it must be the ApiError body
 * with its own status, and the operation must list that status and code.
 */
export function undocumentedError(
  op: DocumentedOperation,
  res: { status: number; body: { statusCode?: unknown; code?: unknown; message?: unknown } },
): string | null {
  const where = `${op.key} answered ${res.status} ${String(res.body.code)}`;
  if (res.body.statusCode !== res.status || typeof res.body.code !== 'string' || typeof res.body.message !== 'string')
    return `${where} with a body that is not an ApiError: ${JSON.stringify(res.body)}`;
  if (!documentedCodes(op.operation, res.status).includes(res.body.code))
    return `${where}, which the document does not list (it lists ${res.status}: ${documentedCodes(op.operation, res.status).join(', ') || 'nothing'})`;
  return null;
}

const SUCCESS = /^2\d\d$/;

/** Every `$ref` in the document that points at nothing. */
function danglingRefs(doc: ApiDocument): string[] {
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.push(value);
        else walk(value);
      }
    }
  };
  walk(doc);
  return [...new Set(refs)].filter((ref) => !(ref.startsWith('#/components/schemas/') && ref.slice('#/components/schemas/'.length) in doc.components.schemas));
}

/**
 * What a client generator would miss in the document: an operation without a JSON schema for its
 * success, a path parameter not declared (or declared without a schema), no security
 * requirement, a missing or repeated operationId, a `$ref` to nothing. Empty when sound.
 */
export function documentProblems(doc: ApiDocument): string[] {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const { key, path, operation } of operationsOf(doc)) {
    const successes = Object.entries(operation.responses).filter(([status]) => SUCCESS.test(status));
    if (!successes.some(([, response]) => response.content?.['application/json']?.schema !== undefined))
      problems.push(`${key} documents no JSON schema for its success (add @ApiZodResponse)`);
    const inPath = pathParametersOf(path);
    const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
    for (const name of inPath) {
      const parameter = declared.find((p) => p.name === name);
      if (!parameter) problems.push(`${key} does not declare its path parameter {${name}}`);
      else if (parameter.required !== true || typeof parameter.schema?.type !== 'string')
        problems.push(`${key} declares {${name}} without required: true and a schema`);
    }
    for (const parameter of declared)
      if (!inPath.includes(parameter.name)) problems.push(`${key} declares a path parameter ${parameter.name} its path does not have`);
    if (!Array.isArray(operation.security)) problems.push(`${key} declares no security (public routes say security: [])`);
    if (!operation.operationId) problems.push(`${key} has no operationId`);
    else if (ids.has(operation.operationId)) problems.push(`${key} repeats the operationId ${operation.operationId} of ${ids.get(operation.operationId)}`);
    else ids.set(operation.operationId, key);
  }
  for (const ref of danglingRefs(doc)) problems.push(`$ref ${ref} points at nothing`);
  return problems;
}
