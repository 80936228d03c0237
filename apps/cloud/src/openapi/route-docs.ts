import type { OpenAPIObject } from '@nestjs/swagger';
import { OPERATOR_ROLES, apiErrorBodySchema } from '@app/contracts';
import { ZodValidationPipe, type RouteInput } from '@app/nest-kit';
import type { AccessPolicy } from '../auth/access-policy.metadata.js';
import type { RouteInfo } from '../auth/route-policy.js';
import { componentRef, componentSchemas } from './api-components.js';
import {
  DATABASE_UNAVAILABLE,
  INTERNAL,
  MALFORMED_JSON,
  NODE_REVOKED,
  OPERATOR_DISABLED,
  PAYLOAD_TOO_LARGE,
  REDIS_UNAVAILABLE,
  ROLE_FORBIDDEN,
  TOKEN_EXPIRED,
  TOKEN_INVALID,
  TOKEN_MISSING,
  VALIDATION_FAILED,
  type DocumentedError,
} from './api-errors.js';
import { documentedErrors, documentedResponses } from './api-responses.js';
import { openApiSchema, queryParameters } from './zod-openapi.js';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
  description?: string;
}

interface Operation {
  description?: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
}

const JSON_MEDIA = 'application/json';

/** `/api/v1/stores/:storeId` as OpenAPI writes it: `/api/v1/stores/{storeId}`. */
export const toOpenApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

const zodPipeOf = (input: RouteInput) => input.pipes.find((pipe): pipe is ZodValidationPipe<never> => pipe instanceof ZodValidationPipe);

/**
 * Completes what @nestjs/swagger scanned with what the routes already declare, so that a new route
 * is documented by the declarations it needs anyway: security from its access policy, path and
 * query parameters and body from its zod pipes, the success body from @ApiZodResponse, and the
 * errors its guards, pipes and the body parser raise, plus those named with @ApiErrors.
 */
export function describeRoutes(document: OpenAPIObject, routes: readonly RouteInfo[]): OpenAPIObject {
  for (const route of routes) {
    const operation = document.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase() as 'get'] as Operation | undefined;
    // Left out of the document on purpose (@ApiExcludeController, e.g. /metrics).
    if (!operation) continue;
    describeAccess(operation, route.policy);
    describeInputs(operation, route.inputs);
    describeSuccess(operation, route);
    describeErrors(operation, [...derivedErrors(route), ...documentedErrors(route.handlerFunction)]);
  }
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...(componentSchemas() as Record<string, object>) } };
  return document;
}

function describeAccess(operation: Operation, policy: AccessPolicy | undefined): void {
  let access: string;
  switch (policy?.kind) {
    case 'operator':
      operation.security = [{ operator: [] }];
      access =
        `Operator token (scheme \`operator\`: the accessToken of POST /api/v1/auth/login). Roles: ` +
        `${policy.roles.length === OPERATOR_ROLES.length ? 'any' : policy.roles.join(', ')}.`;
      break;
    case 'node':
      operation.security = [{ node: [] }];
      access = 'Node access token (scheme `node`: the accessToken of POST /api/v1/nodes/register or /api/v1/nodes/token) of an active node.';
      break;
    case 'public':
    case undefined:
      // RoutePolicyCheck refuses to start with a route that declares nothing, so undefined is only a type.
      operation.security = [];
      access = 'Public: no token.';
      break;
  }
  operation.description = operation.description ? `${operation.description}\n\n${access}` : access;
}

function describeInputs(operation: Operation, inputs: readonly RouteInput[]): void {
  const parameters = operation.parameters ?? [];
  const put = (parameter: Parameter, replace: boolean) => {
    const at = parameters.findIndex((p) => p.name === parameter.name && p.in === parameter.in);
    if (at < 0) parameters.push(parameter);
    else if (replace) parameters[at] = parameter;
  };
  for (const input of inputs) {
    const pipe = zodPipeOf(input);
    if (!pipe) continue;
    if (input.source === 'param' && input.name !== undefined) {
      const schema = openApiSchema(pipe.schema);
      // The zod schema is the truth about a path parameter; what swagger guessed from the TS type is not.
      put(
        { name: input.name, in: 'path', required: true, schema, ...(typeof schema.description === 'string' ? { description: schema.description } : {}) },
        true,
      );
    } else if (input.source === 'query' && input.name === undefined) {
      for (const parameter of queryParameters(pipe.schema)) put(parameter, false);
    } else if (input.source === 'body' && operation.requestBody === undefined) {
      operation.requestBody = { required: true, content: { [JSON_MEDIA]: { schema: openApiSchema(pipe.schema) } } };
    }
  }
  if (parameters.length > 0) operation.parameters = parameters;
}

function describeSuccess(operation: Operation, route: RouteInfo): void {
  for (const response of documentedResponses(route.handlerFunction)) {
    const status = response.status ?? route.successStatus;
    operation.responses[String(status)] = {
      description: response.description ?? (status === 201 ? 'Created' : 'OK'),
      content: { [JSON_MEDIA]: { schema: componentRef(response.schema) } },
    };
  }
}

/** What every route of its kind answers before its handler runs. */
function derivedErrors(route: RouteInfo): DocumentedError[] {
  const errors: DocumentedError[] = [];
  if (route.policy?.kind === 'operator') {
    errors.push(TOKEN_MISSING, TOKEN_EXPIRED, TOKEN_INVALID, OPERATOR_DISABLED);
    if (route.policy.roles.length < OPERATOR_ROLES.length) errors.push(ROLE_FORBIDDEN);
  }
  if (route.policy?.kind === 'node') errors.push(TOKEN_MISSING, TOKEN_EXPIRED, TOKEN_INVALID, NODE_REVOKED);
  if (route.inputs.some((input) => zodPipeOf(input) !== undefined)) errors.push(VALIDATION_FAILED);
  if (route.inputs.some((input) => input.source === 'body')) errors.push(MALFORMED_JSON, PAYLOAD_TOO_LARGE);
  errors.push(INTERNAL);
  // Any route may meet an outage (outages/outage-errors.ts maps it in the global filter); /healthz
  // documents its own 503 body instead.
  if (!documentedResponses(route.handlerFunction).some((r) => r.status === 503)) errors.push(DATABASE_UNAVAILABLE, REDIS_UNAVAILABLE);
  return errors;
}

/** One response per status: the ApiError body with the codes it may carry, an example of each, and `details` where a code has them. */
function describeErrors(operation: Operation, errors: readonly DocumentedError[]): void {
  const statuses = [...new Set(errors.map((e) => e.status))].sort((a, b) => a - b);
  for (const status of statuses) {
    const here = errors.filter((e) => e.status === status);
    const codes = [...new Set(here.map((e) => e.code))];
    const details = [...new Set(here.flatMap((e) => (e.details ? [e.details] : [])))];
    if (details.length > 1) throw new Error(`${status} answers several codes with different details: give them one details schema`);
    const examples: Record<string, { summary: string; value: unknown }> = {};
    for (const error of here) {
      let key = error.code;
      for (let n = 2; key in examples; n += 1) key = `${error.code}_${n}`;
      examples[key] = { summary: error.when, value: error.example };
    }
    operation.responses[String(status)] = {
      description: here.map((e) => `\`${e.code}\`: ${e.when}`).join('\n\n'),
      content: {
        [JSON_MEDIA]: {
          schema: {
            allOf: [
              componentRef(apiErrorBodySchema),
              {
                type: 'object',
                properties: {
                  statusCode: { type: 'integer', enum: [status] },
                  code: { type: 'string', enum: codes },
                  ...(details[0] ? { details: openApiSchema(details[0], 'output') } : {}),
                },
              },
            ],
          },
          examples,
        },
      },
    };
  }
}
