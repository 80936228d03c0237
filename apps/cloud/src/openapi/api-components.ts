import { z } from 'zod';
import {
  apiErrorBodySchema,
  auditEntryViewSchema,
  auditListResponseSchema,
  bootstrapTokenResponseSchema,
  bulkRetryResponseSchema,
  cloudEventSchema,
  cloudEventsPageSchema,
  cloudHealthSchema,
  commandAckResponseSchema,
  commandDetailViewSchema,
  commandListResponseSchema,
  commandLogViewSchema,
  commandsPollResponseSchema,
  commandViewSchema,
  blockingDeadLetterViewSchema,
  deviceTokenResponseSchema,
  domainRevisionViewSchema,
  domainStateResponseSchema,
  fleetResponseSchema,
  fleetStoreViewSchema,
  heartbeatResponseSchema,
  ingestRejectionSchema,
  ingestResponseSchema,
  keysResponseSchema,
  latestRevisionsResponseSchema,
  loginResponseSchema,
  operatorViewSchema,
  publicKeySchema,
  publishFleetRevisionResponseSchema,
  publishRevisionResponseSchema,
  registerNodeResponseSchema,
  renewNodeTokenResponseSchema,
  salesDayViewSchema,
  salesResponseSchema,
  projectionDeadLetterViewSchema,
  projectionDeadLettersPageSchema,
  storeNodeViewSchema,
  storeNodesResponseSchema,
} from '@app/contracts';
import { openApiOptions, type JsonSchema } from './zod-openapi.js';

/**
 * The named schemas of the document (`components.schemas`), under the names client generators give
 * their types. A response is documented by one of these (ApiZodResponse refuses any other), and a
 * schema nested in another one is referenced by name rather than repeated.
 */
const COMPONENTS = {
  ApiError: apiErrorBodySchema,
  CloudHealth: cloudHealthSchema,
  OperatorView: operatorViewSchema,
  LoginResponse: loginResponseSchema,
  DomainRevisionView: domainRevisionViewSchema,
  StoreNodeView: storeNodeViewSchema,
  FleetStoreView: fleetStoreViewSchema,
  FleetResponse: fleetResponseSchema,
  StoreNodesResponse: storeNodesResponseSchema,
  BootstrapTokenResponse: bootstrapTokenResponseSchema,
  PublicKey: publicKeySchema,
  KeysResponse: keysResponseSchema,
  RegisterNodeResponse: registerNodeResponseSchema,
  RenewNodeTokenResponse: renewNodeTokenResponseSchema,
  HeartbeatResponse: heartbeatResponseSchema,
  CommandsPollResponse: commandsPollResponseSchema,
  CommandAckResponse: commandAckResponseSchema,
  PublishRevisionResponse: publishRevisionResponseSchema,
  PublishFleetRevisionResponse: publishFleetRevisionResponseSchema,
  LatestRevisionsResponse: latestRevisionsResponseSchema,
  DomainStateResponse: domainStateResponseSchema,
  BlockingDeadLetterView: blockingDeadLetterViewSchema,
  CommandView: commandViewSchema,
  CommandLogView: commandLogViewSchema,
  CommandDetailView: commandDetailViewSchema,
  CommandListResponse: commandListResponseSchema,
  BulkRetryResponse: bulkRetryResponseSchema,
  IngestRejection: ingestRejectionSchema,
  IngestResponse: ingestResponseSchema,
  CloudEvent: cloudEventSchema,
  CloudEventsPage: cloudEventsPageSchema,
  SalesDayView: salesDayViewSchema,
  SalesResponse: salesResponseSchema,
  ProjectionDeadLetterView: projectionDeadLetterViewSchema,
  ProjectionDeadLettersPage: projectionDeadLettersPageSchema,
  DeviceTokenResponse: deviceTokenResponseSchema,
  AuditEntryView: auditEntryViewSchema,
  AuditListResponse: auditListResponseSchema,
} satisfies Record<string, z.ZodType>;

const registry = z.registry<{ id: string }>();
for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });

const REF_PREFIX = '#/components/schemas/';

/** A `$ref` to the component of this schema; throws for a schema that is not one (add it to COMPONENTS). */
export function componentRef(schema: z.ZodType): { $ref: string } {
  const id = registry.get(schema)?.id;
  if (id === undefined) throw new Error('this response schema is not an OpenAPI component: add it to COMPONENTS in openapi/api-components.ts');
  return { $ref: `${REF_PREFIX}${id}` };
}

/** Every component as OpenAPI 3.0 JSON Schema, referencing the others by `$ref`. */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { ...openApiOptions('output'), uri: (id) => `${REF_PREFIX}${id}` });
  // `$id` belongs to JSON Schema, not to an OpenAPI 3.0 Schema Object.
  const components = Object.fromEntries(Object.entries(schemas).map(([id, { $id: _id, ...schema }]) => [id, schema as JsonSchema]));
  for (const schema of Object.values(components)) typeNullableRefs(schema, components);
  return components;
}

/**
 * zod writes a nullable component as `{nullable: true, allOf: [{$ref}]}`, but OpenAPI 3.0 ignores
 * `nullable` without a `type` beside it: the referenced component's type goes there.
 */
function typeNullableRefs(node: unknown, components: Record<string, JsonSchema>): void {
  if (Array.isArray(node)) {
    for (const item of node) typeNullableRefs(item, components);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  const ref = (schema.allOf as { $ref?: string }[] | undefined)?.[0]?.$ref;
  if (schema.nullable === true && schema.type === undefined && ref?.startsWith(REF_PREFIX)) schema.type = components[ref.slice(REF_PREFIX.length)]?.type;
  for (const value of Object.values(schema)) typeNullableRefs(value, components);
}
