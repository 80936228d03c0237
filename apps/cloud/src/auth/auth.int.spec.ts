import jwt from 'jsonwebtoken';
import { OPERATOR_TOKEN_AUDIENCE, loginRequestSchema } from '@app/contracts';
import { CloudApi, registerNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { AuthService } from './auth.service.js';

describe(AuthService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let anyone: CloudApi;
  let tenant: TenantRow;

  beforeAll(async () => {
    cloud = await startCloudTestApp('auth');
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    anyone = new CloudApi(cloud.server);
    tenant = await make.tenant({ slug: 'acme-auth' });
  });

  afterAll(async () => {
    await cloud.close();
  });

  describe('login', () => {
    it('should trade the right email and password for a token that opens the operator routes', async () => {
      const operator = await make.operator(tenant, { email: 'Ops@Example.com', role: 'SUPPORT', displayName: 'Ops' });
      const res = await anyone.post('/api/v1/auth/login', { email: 'ops@example.COM', password: operator.password }).expect(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        expiresAt: expect.any(String),
        operator: { id: operator.id, email: 'ops@example.com', displayName: 'Ops', role: 'SUPPORT', tenantId: tenant.id, tenantSlug: 'acme-auth' },
      });
      const hours = (Date.parse(res.body.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(11.9);
      expect(hours).toBeLessThanOrEqual(12);
      const me = await anyone.as(res.body.accessToken).get('/api/v1/auth/me').expect(200);
      expect(me.body).toEqual(res.body.operator);
      expect(await prisma.auditLog.count({ where: { actorId: operator.id, action: 'operator.logged_in' } })).toBe(1);
      expect((await prisma.operator.findUniqueOrThrow({ where: { id: operator.id } })).lastLoginAt).not.toBeNull();
    });

    it('should answer a wrong password and an unknown email alike', async () => {
      const operator = await make.operator(tenant);
      const wrong = await anyone.post('/api/v1/auth/login', { email: operator.email, password: 'not-it' }).expect(401);
      const unknown = await anyone.post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'whatever' }).expect(401);
      expect(wrong.body).toEqual({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'email or password is wrong' });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('should refuse a disabled operator at login and on the next request with an earlier token', async () => {
      const operator = await make.operatorWithToken(tenant);
      await anyone.as(operator.token).get('/api/v1/stores').expect(200);
      await prisma.operator.update({ where: { id: operator.id }, data: { active: false } });
      expect((await anyone.post('/api/v1/auth/login', { email: operator.email, password: operator.password }).expect(403)).body).toMatchObject({
        code: 'OPERATOR_DISABLED',
      });
      expect((await anyone.as(operator.token).get('/api/v1/stores').expect(403)).body).toMatchObject({ code: 'OPERATOR_DISABLED' });
    });

    it('should apply a role change on the next request, not when the token expires', async () => {
      const operator = await make.operatorWithToken(tenant, 'ADMIN');
      await prisma.operator.update({ where: { id: operator.id }, data: { role: 'VIEWER' } });
      const res = await anyone.as(operator.token).post('/api/v1/stores', { code: 'NOPE', name: 'No' }).expect(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('should refuse a malformed login naming the field', async () => {
      const res = await anyone.post('/api/v1/auth/login', { email: 'not-an-email', password: '' }).expect(400);
      expect(res.body.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['email', 'password']);
      expect(loginRequestSchema.safeParse({ email: 'a@b.co', password: 'x' }).success).toBe(true);
    });
  });

  describe('operator tokens', () => {
    it.each([
      ['no token', undefined, 'UNAUTHORIZED'],
      ['garbage', 'not.a.jwt', 'TOKEN_INVALID'],
    ])('should answer %s with 401 %s', async (_label, token, code) => {
      const res = await (token ? anyone.as(token) : anyone).get('/api/v1/stores').expect(401);
      expect(res.body).toMatchObject({ code });
    });

    it('should answer an expired token with TOKEN_EXPIRED', async () => {
      const operator = await make.operator(tenant);
      const iat = Math.floor(Date.now() / 1000) - 13 * 3600;
      const token = jwt.sign(
        { typ: 'operator', sub: operator.id, tenantId: tenant.id, role: 'ADMIN', aud: OPERATOR_TOKEN_AUDIENCE, iat, exp: iat + 12 * 3600 },
        cloud.config.authJwtSecret,
        { algorithm: 'HS256' },
      );
      expect((await anyone.as(token).get('/api/v1/stores').expect(401)).body).toMatchObject({ code: 'TOKEN_EXPIRED' });
    });

    it('should refuse a token signed with another secret', async () => {
      const operator = await make.operator(tenant);
      const token = jwt.sign({ typ: 'operator', sub: operator.id, tenantId: tenant.id, role: 'ADMIN', aud: OPERATOR_TOKEN_AUDIENCE }, 'x'.repeat(40), {
        algorithm: 'HS256',
        expiresIn: 600,
      });
      expect((await anyone.as(token).get('/api/v1/stores').expect(401)).body).toMatchObject({ code: 'TOKEN_INVALID' });
    });

    it('should keep operator and node credentials apart', async () => {
      const admin = await make.operatorWithToken(tenant);
      const store = await make.store(tenant);
      const node = await registerNode(anyone, anyone.as(admin.token), store.id);
      expect((await node.api.get('/api/v1/stores').expect(401)).body).toMatchObject({ code: 'TOKEN_INVALID' });
      expect((await anyone.as(admin.token).get('/api/v1/nodes/commands').expect(401)).body).toMatchObject({ code: 'TOKEN_INVALID' });
    });
  });
});
