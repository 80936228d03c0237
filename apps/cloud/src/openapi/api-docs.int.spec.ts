import { Controller, Get, Module, Param } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import { OPERATOR_ROLES } from '@app/contracts';
import { documentProblems, fetchApiDocument, operationsOf, pathParametersOf, type ApiDocument, type ApiOperation } from '../../test/api-document.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { Public } from '../auth/access-policy.js';
import { listRoutes } from '../auth/route-policy.js';
import { setupApiDocs } from './api-docs.js';
import { toOpenApiPath, describeRoutes } from './route-docs.js';

@Controller('api/v1/forgotten')
class ForgottenDocsController {
  @Get(':thingId')
  @Public()
  thing(@Param('thingId') thingId: string): { thingId: string } {
    return { thingId };
  }
}

@Module({ imports: [DiscoveryModule], controllers: [ForgottenDocsController] })
class ForgottenDocsModule {}

describe(setupApiDocs.name, () => {
  let cloud: CloudTestApp;
  let doc: ApiDocument;

  const operationOf = (method: string, path: string): ApiOperation => doc.paths[toOpenApiPath(path)]![method.toLowerCase()]!;

  beforeAll(async () => {
    cloud = await startCloudTestApp('api-docs');
    doc = await fetchApiDocument(cloud.server);
  });

  afterAll(async () => {
    await cloud.close();
  });

  it('should serve the Swagger page, which links the JSON document', async () => {
    const page = await request(cloud.server).get('/api/docs').expect(200);
    expect(page.text).toContain('swagger-ui-init.js');
    // The page's script carries the document; its description links the JSON.
    const init = await request(cloud.server).get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('[/api/docs-json](/api/docs-json)');
    const link = /\[[^\]]+\]\(([^)]+)\)/.exec(doc.info.description ?? '')?.[1];
    expect(link).toBe('/api/docs-json');
    const linked = await request(cloud.server).get(new URL(link!, 'http://cloud/api/docs').pathname).expect(200);
    expect(linked.body).toEqual(doc);
  });

  it('should leave nothing a client generator needs undocumented', () => {
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(documentProblems(doc)).toEqual([]);
  });

  it('should document every API route with the security of its access policy', () => {
    const documented = operationsOf(doc).map((op) => `${op.method.toUpperCase()} ${op.path.replace(/\{(\w+)\}/g, ':$1')}`);
    const api = listRoutes(cloud.app).filter((r) => r.path.startsWith('/api/') || r.path === '/healthz');
    expect(documented.sort()).toEqual(api.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of api) {
      const operation = operationOf(route.method, route.path);
      const expected = route.policy?.kind === 'operator' ? [{ operator: [] }] : route.policy?.kind === 'node' ? [{ node: [] }] : [];
      expect([route.path, operation.security]).toEqual([route.path, expected]);
      if (route.policy?.kind === 'operator') {
        expect(operation.description).toContain(route.policy.roles.length === OPERATOR_ROLES.length ? 'Roles: any' : `Roles: ${route.policy.roles.join(', ')}`);
      }
    }
    expect(operationOf('POST', '/api/v1/auth/login').security).toEqual([]);
    expect(doc.components.securitySchemes).toEqual({
      operator: expect.objectContaining({ scheme: 'bearer' }),
      node: expect.objectContaining({ scheme: 'bearer' }),
    });
  });

  it('should declare each path parameter with the schema of its zod pipe', () => {
    const desired = operationOf('GET', '/api/v1/stores/:storeId/revisions/:domain/latest');
    expect(desired.parameters?.filter((p) => p.in === 'path')).toEqual([
      { name: 'storeId', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', pattern: expect.any(String), maxLength: 64 }) },
      { name: 'domain', in: 'path', required: true, schema: { type: 'string', enum: ['settings', 'menu', 'users', 'roles'] } },
    ]);
    expect(operationOf('GET', '/api/v1/commands/:commandId').parameters).toEqual([
      { name: 'commandId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
    ]);
    // Every {param} of every path, generically.
    for (const { key, path, operation } of operationsOf(doc)) {
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect([key, declared.map((p) => p.name).sort()]).toEqual([key, pathParametersOf(path).sort()]);
      for (const parameter of declared)
        expect([key, parameter.schema?.enum ?? parameter.schema?.pattern ?? parameter.schema?.format]).toEqual([key, expect.anything()]);
    }
  });

  it('should describe each answer with its schema from the contracts', () => {
    expect(operationOf('GET', '/api/v1/stores').responses['200']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/FleetResponse' });
    expect(operationOf('POST', '/api/v1/stores').responses['201']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/FleetStoreView',
    });
    expect(Object.keys(operationOf('GET', '/healthz').responses).sort()).toEqual(['200', '500', '503']);
    // /healthz keeps its own 503: the health body, not an error.
    expect(operationOf('GET', '/healthz').responses['503']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/CloudHealth' });
    const fleetStore = doc.components.schemas.FleetStoreView as { properties: Record<string, unknown>; required: string[] };
    expect(fleetStore.properties.node).toEqual(
      expect.objectContaining({ nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/StoreNodeView' }] }),
    );
    expect(fleetStore.required).toContain('domains');
    // Answers stay open to new fields; zod request bodies keep their JSON Schema.
    expect(JSON.stringify(doc.components.schemas)).not.toContain('"additionalProperties":false');
    const publish = operationOf('POST', '/api/v1/stores/:storeId/revisions').requestBody!.content['application/json']!.schema as unknown as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(publish.properties)).toEqual(['domain', 'payload', 'ifMatchRevision']);
    expect(publish.required).toEqual(['domain', 'payload']);
    expect(operationOf('POST', '/api/v1/stores/:storeId/nodes/bootstrap').requestBody!.required).toBe(false);
  });

  it('should list the errors each kind of route answers, with the code values and an example of each', () => {
    const codes = (operation: ApiOperation, status: number) =>
      operation.responses[String(status)]?.content?.['application/json']?.schema?.allOf?.[1].properties.code.enum;
    for (const route of listRoutes(cloud.app).filter((r) => r.path.startsWith('/api/'))) {
      const operation = operationOf(route.method, route.path);
      const where = `${route.method} ${route.path}`;
      if (route.policy?.kind !== 'public')
        expect([where, codes(operation, 401)]).toEqual([where, expect.arrayContaining(['UNAUTHORIZED', 'TOKEN_EXPIRED', 'TOKEN_INVALID'])]);
      if (route.policy?.kind === 'operator')
        expect([where, codes(operation, 403)]).toEqual([
          where,
          expect.arrayContaining(route.policy.roles.length < OPERATOR_ROLES.length ? ['OPERATOR_DISABLED', 'FORBIDDEN'] : ['OPERATOR_DISABLED']),
        ]);
      if (route.policy?.kind === 'node') expect([where, codes(operation, 403)]).toEqual([where, ['NODE_REVOKED']]);
      if (operation.requestBody)
        expect([where, codes(operation, 400), codes(operation, 413)]).toEqual([
          where,
          expect.arrayContaining(['MALFORMED_JSON', 'VALIDATION_FAILED']),
          expect.arrayContaining(['PAYLOAD_TOO_LARGE']),
        ]);
      expect([where, codes(operation, 500)]).toEqual([where, ['INTERNAL']]);
      expect([where, codes(operation, 503)]).toEqual([where, ['DATABASE_UNAVAILABLE', 'REDIS_UNAVAILABLE']]);
      for (const [status, response] of Object.entries(operation.responses).filter(([s]) => /^[45]/.test(s))) {
        for (const example of Object.values(response.content!['application/json']!.examples!)) {
          const value = example.value as { statusCode: number; code: string };
          expect([where, value.statusCode, codes(operation, Number(status))]).toEqual([where, Number(status), expect.arrayContaining([value.code])]);
        }
      }
    }
    expect(codes(operationOf('POST', '/api/v1/stores/:storeId/revisions'), 409)).toEqual(['REVISION_CONFLICT']);
    expect(codes(operationOf('POST', '/api/v1/stores/:storeId/revisions'), 403)).toEqual(['OPERATOR_DISABLED', 'FORBIDDEN']);
    expect(codes(operationOf('POST', '/api/v1/auth/login'), 429)).toEqual(['RATE_LIMITED']);
    expect(codes(operationOf('POST', '/api/v1/nodes/register'), 401)).toEqual(['BOOTSTRAP_TOKEN_INVALID', 'BOOTSTRAP_TOKEN_USED', 'BOOTSTRAP_TOKEN_EXPIRED']);
    expect(codes(operationOf('POST', '/api/v1/events/ingest'), 413)).toEqual(['PAYLOAD_TOO_LARGE', 'BATCH_TOO_LARGE']);
  });

  it('should give each operation an operationId made of its controller and handler names', () => {
    for (const route of listRoutes(cloud.app).filter((r) => r.path.startsWith('/api/'))) {
      expect(operationOf(route.method, route.path).operationId).toBe(`${route.controller.replace(/Controller$/, '')}_${route.handler}`);
    }
  });

  it('should flag a route added without its documentation', async () => {
    const app = await NestFactory.create(ForgottenDocsModule, { logger: false });
    try {
      await app.init();
      const scanned = SwaggerModule.createDocument(app, new DocumentBuilder().build());
      // What swagger alone makes of a plain @Param on a string is fine; the missing answer is not.
      expect(documentProblems(scanned as unknown as ApiDocument)).toEqual(
        expect.arrayContaining([
          'GET /api/v1/forgotten/{thingId} documents no JSON schema for its success (add @ApiZodResponse)',
          'GET /api/v1/forgotten/{thingId} declares no security (public routes say security: [])',
        ]),
      );
      const described = describeRoutes(scanned, listRoutes(app)) as unknown as ApiDocument;
      expect(documentProblems(described)).toEqual(['GET /api/v1/forgotten/{thingId} documents no JSON schema for its success (add @ApiZodResponse)']);
    } finally {
      await app.close();
    }
  });
});
