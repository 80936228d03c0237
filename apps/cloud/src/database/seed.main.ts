import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@app/nest-kit';
import { loadCloudConfig } from '../config/cloud-config.js';
import { DemoSeedService } from '../seed/demo-seed.service.js';
import { SeedModule } from '../seed/seed.module.js';

/**
 * `npm run db:seed`: the demo tenant, its store, an operator per role (the admin from ADMIN_* or the
 * demo defaults) and the store's first revisions of every domain. Idempotent.
 */
export const DEMO_ADMIN = { email: 'admin@demo.local', password: 'demo-admin-pw', tenant: 'demo' };

try {
  const config = loadCloudConfig({ LOG_LEVEL: 'warn', ...process.env });
  const app = await NestFactory.createApplicationContext(SeedModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const admin = config.firstAdmin ?? DEMO_ADMIN;
    const result = await app.get(DemoSeedService).seed({ tenantSlug: admin.tenant, adminEmail: admin.email, adminPassword: admin.password });
    // The cluster public key is what an edge of this cloud needs (CLUSTER_PUBLIC_KEY_BASE64).
    console.log(
      JSON.stringify(
        { ...result, adminPassword: config.firstAdmin ? '(ADMIN_PASSWORD)' : admin.password, clusterPublicKey: config.clusterPublicKeyBase64 },
        null,
        2,
      ),
    );
  } finally {
    await app.close();
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
