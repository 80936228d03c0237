import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { hashSecret } from '@app/crypto';
import { CloudConfig } from '../config/cloud-config.js';
import { TenantsRepository, type TenantRow } from '../tenants/tenants.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { isUniqueViolation } from '../tenancy/unique-violation.js';
import { OperatorsRepository } from './operators.repository.js';

export type FirstAdminOutcome = 'created' | 'operators-exist' | 'not-configured';

/**
 * On a database with no operator, creates ADMIN_TENANT and its first admin from ADMIN_EMAIL and
 * ADMIN_PASSWORD (SYSTEM.md section 6). Replicas starting together race on unique keys; the
 * losers see the winner's rows and do nothing.
 */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminService.name);

  constructor(
    private readonly config: CloudConfig,
    private readonly tenants: TenantsRepository,
    private readonly operators: OperatorsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const outcome = await this.ensureFirstAdmin();
    if (outcome === 'created') this.logger.log(`created tenant '${this.config.firstAdmin!.tenant}' and its first admin ${this.config.firstAdmin!.email}`);
  }

  async ensureFirstAdmin(): Promise<FirstAdminOutcome> {
    const admin = this.config.firstAdmin;
    if (!admin) return 'not-configured';
    if (await this.operators.anyExists()) return 'operators-exist';
    const tenant = await this.findOrCreateTenant(admin.tenant);
    try {
      await this.operators.create(tenantScope(tenant.id), {
        email: admin.email,
        displayName: 'Administrator',
        passwordHash: await hashSecret(admin.password),
        role: 'ADMIN',
      });
      return 'created';
    } catch (error) {
      if (isUniqueViolation(error)) return 'operators-exist';
      throw error;
    }
  }

  private async findOrCreateTenant(slug: string): Promise<TenantRow> {
    const existing = await this.tenants.findBySlug(slug);
    if (existing) return existing;
    try {
      return await this.tenants.create({ slug, name: slug });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.tenants.findBySlug(slug);
      if (!winner) throw error;
      return winner;
    }
  }
}
