import type { INestApplicationContext } from '@nestjs/common';
import { hashSecret } from '@app/crypto';
import { AccessTokensService } from '../src/auth/access-tokens.service.js';
import { TransactionRunner } from '../src/database/transaction-runner.js';
import { OperatorsRepository, type OperatorRow } from '../src/operators/operators.repository.js';
import type { OperatorRole } from '../src/operators/operator-roles.js';
import { StoresRepository, type StoreRow } from '../src/stores/stores.repository.js';
import { TenantsRepository, type TenantRow } from '../src/tenants/tenants.repository.js';
import { tenantScope } from '../src/tenancy/tenant-scope.js';

const FAST_COST = { logN: 10, r: 8, p: 1 };
let counter = 0;
const next = () => `${process.pid}-${(counter += 1)}`;

/**
 * Test data inserted through the application's own repositories, so it has exactly the shape the
 * code writes. Passwords use a low scrypt cost to keep tests fast; the format is the real one.
 */
export class CloudFactories {
  constructor(private readonly app: INestApplicationContext) {}

  tenant(overrides: Partial<{ slug: string; name: string }> = {}): Promise<TenantRow> {
    const slug = overrides.slug ?? `t-${next()}`;
    return this.app.get(TenantsRepository).create({ slug, name: overrides.name ?? `Tenant ${slug}` });
  }

  async operator(
    tenant: TenantRow,
    overrides: Partial<{ email: string; role: OperatorRole; password: string; displayName: string }> = {},
  ): Promise<OperatorRow & { password: string }> {
    const password = overrides.password ?? 'operator-password';
    const row = await this.app.get(OperatorsRepository).create(tenantScope(tenant.id), {
      email: overrides.email ?? `op-${next()}@example.com`,
      displayName: overrides.displayName ?? 'Test Operator',
      passwordHash: await hashSecret(password, FAST_COST),
      role: overrides.role ?? 'ADMIN',
    });
    return { ...row, password };
  }

  /** A real operator access token, signed by the application's own token service. */
  tokenFor(operator: OperatorRow): string {
    return this.app.get(AccessTokensService).signOperatorToken(operator).token;
  }

  /** An operator of the tenant with a token, ready for API calls. */
  async operatorWithToken(tenant: TenantRow, role: OperatorRole = 'ADMIN'): Promise<OperatorRow & { password: string; token: string }> {
    const operator = await this.operator(tenant, { role });
    return { ...operator, token: this.tokenFor(operator) };
  }

  store(tenant: TenantRow, overrides: Partial<{ code: string; name: string; timezone: string }> = {}): Promise<StoreRow> {
    const code = overrides.code ?? `S${next()}`.slice(0, 32);
    return this.app
      .get(TransactionRunner)
      .run((tx) =>
        this.app.get(StoresRepository).create(tx, tenantScope(tenant.id), { code, name: overrides.name ?? `Store ${code}`, timezone: overrides.timezone }),
      );
  }
}
