import { verifySecret } from '@app/crypto';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudConfig } from '../config/cloud-config.js';
import { SqlPool } from '../database/sql-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import { FirstAdminService } from './first-admin.service.js';

const ADMIN = { ADMIN_EMAIL: 'Boss@Example.COM', ADMIN_PASSWORD: 'first-admin-pw', ADMIN_TENANT: 'acme' };

describe(FirstAdminService.name, () => {
  let cloud: CloudTestApp;

  beforeAll(async () => {
    cloud = await startCloudTestApp('first-admin', ADMIN);
  });

  afterAll(async () => {
    await cloud.close();
  });

  describe('ensureFirstAdmin', () => {
    it('should have created the tenant and its admin at start, with the password hashed', async () => {
      const prisma = cloud.app.get(PrismaService);
      const operators = await prisma.operator.findMany({ include: { tenant: true } });
      expect(operators).toHaveLength(1);
      expect(operators[0]).toMatchObject({ email: 'boss@example.com', role: 'ADMIN', active: true, tenant: { slug: 'acme' } });
      expect(operators[0]!.passwordHash).not.toContain('first-admin-pw');
      await expect(verifySecret('first-admin-pw', operators[0]!.passwordHash)).resolves.toBe(true);
    });

    it('should do nothing once an operator exists, also when replicas race', async () => {
      const service = cloud.app.get(FirstAdminService);
      const outcomes = await Promise.all([service.ensureFirstAdmin(), service.ensureFirstAdmin(), service.ensureFirstAdmin()]);
      expect(outcomes).toEqual(['operators-exist', 'operators-exist', 'operators-exist']);
      expect(await cloud.app.get(PrismaService).operator.count()).toBe(1);
    });

    it('should store times in UTC', async () => {
      const before = Date.now();
      const tenant = await cloud.app.get(PrismaService).tenant.create({ data: { id: 'utc-check', slug: 'utc-check', name: 'x' } });
      const reread = await cloud.app.get(PrismaService).tenant.findUniqueOrThrow({ where: { id: 'utc-check' } });
      expect(Math.abs(reread.createdAt.getTime() - before)).toBeLessThan(5_000);
      expect(reread.createdAt.getTime()).toBe(tenant.createdAt.getTime());
    });
  });
});

describe(`${FirstAdminService.name} when replicas start together on an empty database`, () => {
  it('should create exactly one admin', async () => {
    const cloud = await startCloudTestApp('first-admin-race');
    try {
      const prisma = cloud.app.get(PrismaService);
      await prisma.operator.deleteMany();
      await prisma.tenant.deleteMany();
      // Three replicas configured alike, each with its own service instance.
      const { TenantsRepository } = await import('../tenants/tenants.repository.js');
      const { OperatorsRepository } = await import('./operators.repository.js');
      const config = new CloudConfig({ ...cloud.config, firstAdmin: { email: 'race@example.com', password: 'race-password', tenant: 'race' } });
      const services = [1, 2, 3].map(
        () => new FirstAdminService(config, new TenantsRepository(prisma), new OperatorsRepository(prisma, cloud.app.get(SqlPool))),
      );
      const outcomes = await Promise.all(services.map((s) => s.ensureFirstAdmin()));
      expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
      expect(await prisma.operator.count()).toBe(1);
      expect(await prisma.tenant.count({ where: { slug: 'race' } })).toBe(1);
    } finally {
      await cloud.close();
    }
  });
});
