import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { SYNC_DOMAINS, validateCommandPayload, SNAPSHOT_TYPE_OF_DOMAIN } from '@app/contracts';
import { verifySecret } from '@app/crypto';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { PrismaService } from '../database/prisma.service.js';
import { DEMO_USER_PINS } from './demo-data.js';
import { DemoSeedService } from './demo-seed.service.js';
import { SeedModule } from './seed.module.js';

describe(DemoSeedService.name, () => {
  let cloud: CloudTestApp;
  let seedApp: INestApplicationContext;

  beforeAll(async () => {
    cloud = await startCloudTestApp('demo-seed');
    seedApp = await NestFactory.createApplicationContext(SeedModule.forRoot(cloud.config), { logger: false });
  });

  afterAll(async () => {
    await seedApp.close();
    await cloud.close();
  });

  describe('seed', () => {
    it('should create the demo tenant, an operator per role and the first revision of every domain, once', async () => {
      const seed = seedApp.get(DemoSeedService);
      const input = { tenantSlug: 'demo', adminEmail: 'Admin@Demo.local', adminPassword: 'demo-admin-pw' };
      const first = await seed.seed(input);
      expect(first.operators).toEqual([
        { email: 'admin@demo.local', role: 'ADMIN' },
        { email: 'menu@demo.local', role: 'MENU_EDITOR' },
        { email: 'support@demo.local', role: 'SUPPORT' },
        { email: 'viewer@demo.local', role: 'VIEWER' },
      ]);
      expect(first.revisions).toEqual({ settings: 1, menu: 1, users: 1, roles: 1 });
      expect(first.created).toEqual(expect.arrayContaining(['tenant demo', 'store S001', 'menu revision 1', 'users revision 1']));

      const second = await seed.seed(input);
      expect(second).toEqual({ ...first, created: [] });

      const prisma = cloud.app.get(PrismaService);
      const commands = await prisma.syncCommand.findMany({ where: { storeId: first.storeId }, orderBy: { seq: 'asc' } });
      expect(commands.map((c) => [c.seq, c.domain, c.status])).toEqual(SYNC_DOMAINS.map((d, i) => [i + 1, d, 'PENDING']));
      for (const domain of SYNC_DOMAINS) {
        const revision = await prisma.syncRevision.findFirstOrThrow({ where: { storeId: first.storeId, domain } });
        expect(validateCommandPayload(SNAPSHOT_TYPE_OF_DOMAIN[domain], revision.state).ok).toBe(true);
      }
      const menu = (await prisma.syncRevision.findFirstOrThrow({ where: { storeId: first.storeId, domain: 'menu' } })).state as {
        items: { station: string | null }[];
      };
      expect(new Set(menu.items.map((i) => i.station))).toEqual(new Set(['kitchen', 'bar', null]));
      const users = (await prisma.syncRevision.findFirstOrThrow({ where: { storeId: first.storeId, domain: 'users' } })).state as {
        users: { userId: string; pinHash: string }[];
      };
      const alex = users.users.find((u) => u.userId === 'u-alex')!;
      await expect(verifySecret(DEMO_USER_PINS['u-alex']!, alex.pinHash)).resolves.toBe(true);
      for (const role of ['menu', 'support', 'viewer']) {
        const operator = await prisma.operator.findUniqueOrThrow({ where: { email: `${role}@demo.local` } });
        await expect(verifySecret('demo-admin-pw', operator.passwordHash)).resolves.toBe(true);
      }
    });
  });
});
