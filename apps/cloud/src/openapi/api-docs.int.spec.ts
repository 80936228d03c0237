import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudApi } from '../../test/cloud-api.js';
import { listRoutes } from '../auth/route-policy.js';
import { setupApiDocs } from './api-docs.js';

describe(setupApiDocs.name, () => {
  let cloud: CloudTestApp;

  beforeAll(async () => {
    cloud = await startCloudTestApp('api-docs');
  });

  afterAll(async () => {
    await cloud.close();
  });

  it('should serve the OpenAPI page and document every API route with its security', async () => {
    const anyone = new CloudApi(cloud.server);
    const page = await anyone.get('/api/docs').expect(200);
    expect(page.text).toContain('swagger');
    const doc = (await anyone.get('/api/docs-json').expect(200)).body as { openapi: string; paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content: Record<string, { schema: unknown }> } }>> };
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    const api = listRoutes(cloud.app)
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method} ${r.path}`);
    expect(documented.filter((r) => r.includes('/api/')).sort()).toEqual(api.sort());
    expect(doc.paths['/api/v1/stores/{storeId}/revisions']!.post!.security).toEqual([{ operator: [] }]);
    expect(doc.paths['/api/v1/nodes/commands']!.get!.security).toEqual([{ node: [] }]);
    // Zod bodies are described with their JSON Schema.
    const publish = doc.paths['/api/v1/stores/{storeId}/revisions']!.post!.requestBody!.content['application/json']!.schema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(publish.properties)).toEqual(['domain', 'payload', 'ifMatchRevision']);
    expect(publish.required).toEqual(['domain', 'payload']);
  });
});
