import request, { type Response } from 'supertest';
import { uuidv7, type OperatorRoleName } from '@app/contracts';
import { sha256Hex } from '@app/crypto';
import { makeEvent, makeMenuItem } from '@app/testing';
import {
  documentedCodes,
  fetchApiDocument,
  fillPath,
  operationsOf,
  pathParametersOf,
  undocumentedError,
  type ApiDocument,
  type DocumentedOperation,
} from '../../test/api-document.js';
import { ackOk, CloudApi, pollCommands, registerNode, type RegisteredNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { AccessTokensService } from '../auth/access-tokens.service.js';
import { listRoutes } from '../auth/route-policy.js';
import { PrismaService } from '../database/prisma.service.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { BootstrapTokensRepository } from '../nodes/bootstrap-tokens.repository.js';
import type { StoreRow } from '../stores/stores.repository.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { toOpenApiPath } from './route-docs.js';

type Ids = Record<string, string>;

/** A body each operation with path parameters accepts, so that only its ids decide the answer. */
const VALID_BODIES: Record<string, (ids: Ids) => unknown> = {
  'POST /api/v1/stores/{storeId}/nodes/bootstrap': () => ({}),
  'POST /api/v1/nodes/{nodeId}/revoke': () => ({ reason: 'the box was stolen from the back office' }),
  'POST /api/v1/stores/{storeId}/revisions': () => ({ domain: 'menu', payload: { items: [makeMenuItem()] } }),
  'POST /api/v1/commands/{commandId}/ack': (ids) => ackOk({ commandId: ids.commandId!, revision: 1 }),
  'POST /api/v1/commands/{commandId}/retry': () => ({ reason: 'support retry' }),
  'POST /api/v1/stores/{storeId}/events': (ids) => ({ events: [makeEvent({ storeId: ids.storeId })] }),
  'POST /api/v1/stores/{storeId}/device-tokens': () => ({ deviceId: 'till-front-01' }),
};

/** Errors every operation answers, each provoked for real and checked against what the document lists. */
describe('the errors of the cloud against its OpenAPI document', () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let anyone: CloudApi;
  let doc: ApiDocument;
  let operations: DocumentedOperation[];
  let tenant: TenantRow;
  let store: StoreRow;
  let admin: CloudApi;
  let node: RegisteredNode;
  let tokens: { operator: Record<'admin' | 'viewer' | 'menuEditor' | 'disabled' | 'expired', string>; node: Record<'active' | 'revoked' | 'expired', string> };
  let revokedNode: RegisteredNode;
  let ackedCommand: string;
  const observed = new Set<string>();
  const problems: string[] = [];

  const rolesOf = (op: DocumentedOperation): readonly OperatorRoleName[] | undefined => {
    const route = listRoutes(cloud.app).find((r) => `${r.method} ${toOpenApiPath(r.path)}` === op.key);
    return route?.policy?.kind === 'operator' ? route.policy.roles : undefined;
  };
  const kindOf = (op: DocumentedOperation): 'operator' | 'node' | 'public' =>
    op.operation.security?.[0]?.operator ? 'operator' : op.operation.security?.[0]?.node ? 'node' : 'public';
  const existingIds = (): Ids => ({ storeId: store.id, nodeId: node.nodeId, commandId: ackedCommand, domain: 'menu' });

  /** Records what the document says of this error answer; returns [status, code] for the test to expect. */
  function seen(op: DocumentedOperation, res: Response): [number, unknown] {
    const problem = undocumentedError(op, res);
    if (problem) problems.push(problem);
    observed.add(`${res.status} ${String(res.body.code)}`);
    return [res.status, res.body.code];
  }

  const opOf = (key: string): DocumentedOperation => {
    const op = operations.find((o) => o.key === key);
    if (!op) throw new Error(`${key} is not in the document`);
    return op;
  };

  beforeAll(async () => {
    // A low per-email login limit, so that the 429 is reached in a few attempts.
    cloud = await startCloudTestApp('api-errors', { LOGIN_MAX_ATTEMPTS_PER_EMAIL: '5' });
    make = new CloudFactories(cloud.app);
    anyone = new CloudApi(cloud.server);
    doc = await fetchApiDocument(cloud.server);
    operations = operationsOf(doc);
    const signer = cloud.app.get(AccessTokensService);
    const prisma = cloud.app.get(PrismaService);

    tenant = await make.tenant({ name: 'Nordic Coffee Roasters Oy' });
    const adminRow = await make.operatorWithToken(tenant, 'ADMIN');
    admin = anyone.as(adminRow.token);
    const disabled = await make.operatorWithToken(tenant, 'ADMIN');
    await prisma.operator.update({ where: { id: disabled.id }, data: { active: false } });
    store = await make.store(tenant, { code: 'HEL-01', name: 'Helsinki Central Station, west concourse' });
    const other = await make.store(tenant, { code: 'TKU-02', name: 'Turku Market Hall' });
    node = await registerNode(anyone, admin, store.id, 'edge-hel-01.lan');
    revokedNode = await registerNode(anyone, admin, other.id, 'edge-tku-02.lan');
    await admin.post(`/api/v1/nodes/${revokedNode.nodeId}/revoke`, { reason: 'replaced after a flood' }).expect(200);
    const published = (await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'settings', payload: { values: { currency: 'EUR' } } }).expect(201))
      .body as { commandId: string };
    const [delivered] = await pollCommands(node.api);
    await node.api.post(`/api/v1/commands/${published.commandId}/ack`, ackOk(delivered!)).expect(200);
    ackedCommand = published.commandId;

    const longAgo = Date.now() - 13 * 3600_000;
    tokens = {
      operator: {
        admin: adminRow.token,
        viewer: (await make.operatorWithToken(tenant, 'VIEWER')).token,
        menuEditor: (await make.operatorWithToken(tenant, 'MENU_EDITOR')).token,
        disabled: disabled.token,
        expired: signer.signOperatorToken(adminRow, longAgo).token,
      },
      node: {
        active: node.accessToken,
        revoked: revokedNode.accessToken,
        expired: signer.signNodeToken({ id: node.nodeId, tenantId: tenant.id, storeId: store.id }, longAgo).token,
      },
    };
  });

  afterAll(async () => {
    await cloud.close();
  });

  const call = (op: DocumentedOperation, token: string | undefined, ids: Ids, body: unknown = op.method === 'get' ? undefined : {}) =>
    (token ? anyone.as(token) : anyone).call(op.method as 'get' | 'post', fillPath(op.path, ids), body);

  it('should answer the authentication errors it documents on every protected operation', async () => {
    for (const op of operations.filter((o) => kindOf(o) !== 'public')) {
      const kind = kindOf(op) as 'operator' | 'node';
      const own = kind === 'operator' ? tokens.operator : tokens.node;
      const otherKind = kind === 'operator' ? tokens.node.active : tokens.operator.admin;
      const expect401 = async (token: string | undefined, code: string) =>
        expect([op.key, ...seen(op, await call(op, token, existingIds()))]).toEqual([op.key, 401, code]);
      await expect401(undefined, 'UNAUTHORIZED');
      await expect401('not.a.jwt', 'TOKEN_INVALID');
      await expect401(otherKind, 'TOKEN_INVALID');
      await expect401(own.expired, 'TOKEN_EXPIRED');
      const locked = kind === 'operator' ? [tokens.operator.disabled, 'OPERATOR_DISABLED'] : [tokens.node.revoked, 'NODE_REVOKED'];
      expect([op.key, ...seen(op, await call(op, locked[0], existingIds()))]).toEqual([op.key, 403, locked[1]]);
      const roles = rolesOf(op);
      if (roles && !roles.includes('VIEWER'))
        expect([op.key, ...seen(op, await call(op, tokens.operator.viewer, existingIds()))]).toEqual([op.key, 403, 'FORBIDDEN']);
    }
    expect(problems).toEqual([]);
  });

  it('should answer 400 MALFORMED_JSON on every operation that takes a body', async () => {
    const withBody = operations.filter((o) => o.operation.requestBody);
    expect(withBody.length).toBeGreaterThan(10);
    for (const op of withBody) {
      const token = kindOf(op) === 'operator' ? tokens.operator.admin : kindOf(op) === 'node' ? tokens.node.active : undefined;
      let req = request(cloud.server).post(fillPath(op.path, existingIds())).set('content-type', 'application/json');
      if (token) req = req.set('authorization', `Bearer ${token}`);
      expect([op.key, ...seen(op, await req.send('{"events": [{"eventId": '))]).toEqual([op.key, 400, 'MALFORMED_JSON']);
    }
    expect(problems).toEqual([]);
  });

  it('should answer 400 VALIDATION_FAILED for a bad path parameter and 404 NOT_FOUND for an unknown id, everywhere', async () => {
    const withParams = operations.filter((o) => pathParametersOf(o.path).length > 0);
    expect(
      withParams
        .filter((o) => o.method !== 'get')
        .map((o) => o.key)
        .sort(),
    ).toEqual(Object.keys(VALID_BODIES).sort());
    for (const op of withParams) {
      const token = kindOf(op) === 'operator' ? tokens.operator.admin : tokens.node.active;
      for (const parameter of (op.operation.parameters ?? []).filter((p) => p.in === 'path')) {
        const schema = parameter.schema!;
        const bad = schema.enum ? 'no-such-domain' : schema.format === 'uuid' ? 'not-a-uuid' : '-not!an:id';
        const ids = { ...existingIds(), [parameter.name]: bad };
        const res = await call(op, token, ids, VALID_BODIES[op.key]?.(ids));
        expect([op.key, ...seen(op, res), res.body.message]).toEqual([op.key, 400, 'VALIDATION_FAILED', expect.stringContaining(parameter.name)]);
      }
      const unknown: Ids = { storeId: `unknown-${uuidv7()}`, nodeId: uuidv7(), commandId: uuidv7(), domain: 'menu' };
      expect([op.key, ...seen(op, await call(op, token, unknown, VALID_BODIES[op.key]?.(unknown)))]).toEqual([op.key, 404, 'NOT_FOUND']);
    }
    expect(problems).toEqual([]);
  });

  it('should answer the errors of particular operations as documented', async () => {
    const email = `barista-${uuidv7()}@nordic.example.com`;
    const barista = await make.operator(tenant, { email, role: 'MENU_EDITOR' });
    const expectError = async (key: string, res: Promise<Response> | Response, status: number, code: string) =>
      expect([key, ...seen(opOf(key), await res)]).toEqual([key, status, code]);
    const editor = anyone.as(tokens.operator.menuEditor);

    await expectError('POST /api/v1/auth/login', anyone.post('/api/v1/auth/login', { email, password: 'not-the-password' }), 401, 'INVALID_CREDENTIALS');
    await expectError('POST /api/v1/auth/login', anyone.post('/api/v1/auth/login', { email: 'not-an-email', password: '' }), 400, 'VALIDATION_FAILED');
    const disabled = await make.operator(tenant, { email: `former-${uuidv7()}@nordic.example.com` });
    await cloud.app.get(PrismaService).operator.update({ where: { id: disabled.id }, data: { active: false } });
    await expectError(
      'POST /api/v1/auth/login',
      anyone.post('/api/v1/auth/login', { email: disabled.email, password: disabled.password }),
      403,
      'OPERATOR_DISABLED',
    );
    let throttled: Response | undefined;
    for (let attempt = 0; attempt < 30 && !throttled; attempt += 1) {
      const res = await anyone.post('/api/v1/auth/login', { email: barista.email, password: `guess-${attempt}` });
      if (res.status === 429) throttled = res;
    }
    await expectError('POST /api/v1/auth/login', throttled!, 429, 'RATE_LIMITED');

    await expectError('POST /api/v1/stores', admin.post('/api/v1/stores', { code: store.code, name: 'A second Helsinki Central' }), 409, 'STORE_CODE_TAKEN');
    await expectError(
      'POST /api/v1/stores',
      admin.post('/api/v1/stores', { code: 'OUL-03', name: 'Oulu', timezone: 'Europe/Atlantis' }),
      400,
      'VALIDATION_FAILED',
    );
    const publishTo = `/api/v1/stores/${store.id}/revisions`;
    await expectError(
      'POST /api/v1/stores/{storeId}/revisions',
      admin.post(publishTo, { domain: 'settings', payload: { values: { currency: 'SEK' } }, ifMatchRevision: 0 }),
      409,
      'REVISION_CONFLICT',
    );
    await expectError(
      'POST /api/v1/stores/{storeId}/revisions',
      editor.post(publishTo, { domain: 'settings', payload: { values: { currency: 'SEK' } } }),
      403,
      'FORBIDDEN',
    );
    await expectError(
      'POST /api/v1/stores/{storeId}/revisions',
      admin.post(publishTo, { domain: 'menu', payload: { items: [{ sku: 'NO-PRICE' }] } }),
      400,
      'VALIDATION_FAILED',
    );
    const tooLarge = { domain: 'settings', payload: { values: { 'receipt.footer': 'x'.repeat(2_500_000) } } };
    await expectError('POST /api/v1/stores/{storeId}/revisions', admin.post(publishTo, tooLarge), 413, 'REVISION_TOO_LARGE');
    await expectError('POST /api/v1/revisions', admin.post('/api/v1/revisions', { storeIds: [store.id], ...tooLarge }), 413, 'REVISION_TOO_LARGE');
    await expectError('POST /api/v1/revisions', editor.post('/api/v1/revisions', { storeIds: [store.id], domain: 'roles', payload: {} }), 403, 'FORBIDDEN');
    await expectError(
      'POST /api/v1/revisions',
      admin.post('/api/v1/revisions', { storeIds: [store.id, `gone-${uuidv7()}`], domain: 'menu', payload: { items: [makeMenuItem()] } }),
      404,
      'NOT_FOUND',
    );
    await expectError('POST /api/v1/commands/{commandId}/retry', admin.post(`/api/v1/commands/${ackedCommand}/retry`, {}), 409, 'COMMAND_NOT_RETRYABLE');
    await expectError(
      'POST /api/v1/commands/{commandId}/ack',
      node.api.post(`/api/v1/commands/${ackedCommand}/ack`, ackOk({ commandId: uuidv7(), revision: 1 })),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      'POST /api/v1/nodes/{nodeId}/revoke',
      admin.post(`/api/v1/nodes/${revokedNode.nodeId}/revoke`, { reason: 'again' }),
      409,
      'NODE_ALREADY_REVOKED',
    );
    await expectError('GET /api/v1/commands', admin.get(`/api/v1/commands?storeId=unknown-${uuidv7()}`), 404, 'NOT_FOUND');
    await expectError('GET /api/v1/commands', admin.get('/api/v1/commands?cursor=not-a-cursor'), 400, 'VALIDATION_FAILED');
    await expectError('GET /api/v1/audit', admin.get(`/api/v1/audit?storeId=unknown-${uuidv7()}`), 404, 'NOT_FOUND');
    await expectError(
      'GET /api/v1/stores/{storeId}/sales',
      admin.get(`/api/v1/stores/${store.id}/sales?from=2026-03-02&to=2026-03-01`),
      400,
      'VALIDATION_FAILED',
    );

    const events = Array.from({ length: 1_001 }, () => makeEvent({ tenantId: tenant.id, storeId: store.id }));
    await expectError('POST /api/v1/events/ingest', node.api.post('/api/v1/events/ingest', { events }), 413, 'BATCH_TOO_LARGE');
    await expectError(
      'POST /api/v1/events/ingest',
      node.api.post('/api/v1/events/ingest', { events: ['x'.repeat(9 * 1024 * 1024)] }),
      413,
      'PAYLOAD_TOO_LARGE',
    );

    await expectError(
      'POST /api/v1/nodes/register',
      anyone.post('/api/v1/nodes/register', { bootstrapToken: 'no-such-bootstrap-token', hostname: 'edge', softwareVersion: '1.0.0' }),
      401,
      'BOOTSTRAP_TOKEN_INVALID',
    );
    const used = (await admin.post(`/api/v1/stores/${store.id}/nodes/bootstrap`, {}).expect(201)).body.token as string;
    await anyone.post('/api/v1/nodes/register', { bootstrapToken: used, hostname: 'edge-hel-01b.lan', softwareVersion: '1.0.0' }).expect(201);
    await expectError(
      'POST /api/v1/nodes/register',
      anyone.post('/api/v1/nodes/register', { bootstrapToken: used, hostname: 'edge-hel-01c.lan', softwareVersion: '1.0.0' }),
      401,
      'BOOTSTRAP_TOKEN_USED',
    );
    const expired = `expired-bootstrap-${uuidv7()}`;
    await cloud.app
      .get(TransactionRunner)
      .run((tx) =>
        cloud.app
          .get(BootstrapTokensRepository)
          .insert(
            tx,
            tenantScope(tenant.id),
            { storeId: store.id, tokenHash: sha256Hex(expired), expiresAt: new Date(Date.now() - 60_000), createdById: barista.id },
            new Date(Date.now() - 3600_000),
          ),
      );
    await expectError(
      'POST /api/v1/nodes/register',
      anyone.post('/api/v1/nodes/register', { bootstrapToken: expired, hostname: 'edge', softwareVersion: '1.0.0' }),
      401,
      'BOOTSTRAP_TOKEN_EXPIRED',
    );
    await expectError(
      'POST /api/v1/nodes/token',
      anyone.post('/api/v1/nodes/token', { nodeId: node.nodeId, nodeSecret: 'w'.repeat(43) }),
      401,
      'INVALID_CREDENTIALS',
    );
    await expectError(
      'POST /api/v1/nodes/token',
      anyone.post('/api/v1/nodes/token', { nodeId: revokedNode.nodeId, nodeSecret: revokedNode.nodeSecret }),
      403,
      'NODE_REVOKED',
    );
    expect(problems).toEqual([]);
  });

  it('should have provoked every client error the document lists', () => {
    const documented = new Set(
      operations.flatMap((op) =>
        Object.keys(op.operation.responses)
          .filter((s) => /^4/.test(s))
          .flatMap((s) => documentedCodes(op.operation, Number(s)).map((code) => `${s} ${code}`)),
      ),
    );
    expect([...documented].filter((error) => !observed.has(error)).sort()).toEqual([]);
    expect(doc.paths['/api/v1/keys']!.get!.responses['500']).toBeDefined();
  });
});
