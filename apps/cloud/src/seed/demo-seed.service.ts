import { Injectable } from '@nestjs/common';
import { hashSecret } from '@app/crypto';
import { OperatorsRepository } from '../operators/operators.repository.js';
import { StoresRepository } from '../stores/stores.repository.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';

export interface DemoSeedInput {
  tenantSlug: string;
  adminEmail: string;
  adminPassword: string;
}

export interface DemoSeedResult {
  tenantId: string;
  tenantSlug: string;
  storeId: string;
  storeCode: string;
  adminEmail: string;
  created: string[];
}

export const DEMO_STORE = { code: 'S001', name: 'Main Street', timezone: 'Europe/London' };

/** The demo data of the README's run command. Idempotent: running it again changes nothing. */
@Injectable()
export class DemoSeedService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly operators: OperatorsRepository,
    private readonly stores: StoresRepository,
  ) {}

  async seed(input: DemoSeedInput): Promise<DemoSeedResult> {
    const created: string[] = [];
    let tenant = await this.tenants.findBySlug(input.tenantSlug);
    if (!tenant) {
      tenant = await this.tenants.create({ slug: input.tenantSlug, name: 'Demo Restaurants' });
      created.push(`tenant ${tenant.slug}`);
    }
    const scope = tenantScope(tenant.id);
    let store = await this.stores.findByCode(scope, DEMO_STORE.code);
    if (!store) {
      store = await this.stores.create(scope, DEMO_STORE);
      created.push(`store ${store.code}`);
    }
    if (!(await this.operators.findByEmailForLogin(input.adminEmail))) {
      await this.operators.create(scope, { email: input.adminEmail, displayName: 'Demo Admin', passwordHash: await hashSecret(input.adminPassword), role: 'ADMIN' });
      created.push(`operator ${input.adminEmail} (ADMIN)`);
    }
    return { tenantId: tenant.id, tenantSlug: tenant.slug, storeId: store.id, storeCode: store.code, adminEmail: input.adminEmail.toLowerCase(), created };
  }
}
