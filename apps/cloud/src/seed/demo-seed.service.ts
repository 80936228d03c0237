import { Injectable } from '@nestjs/common';
import { SYNC_DOMAINS, type JsonValue, type SyncDomain } from '@app/contracts';
import { hashSecret } from '@app/crypto';
import type { OperatorPrincipal } from '../auth/principals.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { OperatorsRepository } from '../operators/operators.repository.js';
import type { OperatorRole } from '../operators/operator-roles.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import { StoresRepository } from '../stores/stores.repository.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { DEMO_MENU, DEMO_ROLES, DEMO_SETTINGS, DEMO_USER_PINS, DEMO_USERS } from './demo-data.js';

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
  /** Every demo operator (the admin and one per other role), all with the admin's password. */
  operators: { email: string; role: OperatorRole }[];
  /** The desired revision of each domain of the demo store. */
  revisions: Record<SyncDomain, number>;
  userPins: Record<string, string>;
  created: string[];
}

export const DEMO_STORE = { code: 'S001', name: 'Main Street', timezone: 'Europe/London' };

/** One operator per role besides the admin; they share the demo password. */
export const DEMO_OPERATORS: { email: string; role: OperatorRole; displayName: string }[] = [
  { email: 'menu@demo.local', role: 'MENU_EDITOR', displayName: 'Demo Menu Editor' },
  { email: 'support@demo.local', role: 'SUPPORT', displayName: 'Demo Support' },
  { email: 'viewer@demo.local', role: 'VIEWER', displayName: 'Demo Viewer' },
];

/**
 * The demo data of the README's run command. Idempotent: a second run changes nothing. The demo
 * store's first revisions go through the real publish path (signed commands included), as an
 * admin would publish them.
 */
@Injectable()
export class DemoSeedService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly operators: OperatorsRepository,
    private readonly stores: StoresRepository,
    private readonly revisions: RevisionsService,
    private readonly transactions: TransactionRunner,
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
      store = await this.transactions.run((tx) => this.stores.create(tx, scope, DEMO_STORE));
      created.push(`store ${store.code}`);
    }
    const passwordHash = await hashSecret(input.adminPassword);
    const accounts = [{ email: input.adminEmail.toLowerCase(), role: 'ADMIN' as const, displayName: 'Demo Admin' }, ...DEMO_OPERATORS];
    for (const account of accounts) {
      if (await this.operators.findByEmailForLogin(account.email)) continue;
      await this.operators.create(scope, { email: account.email, displayName: account.displayName, passwordHash, role: account.role });
      created.push(`operator ${account.email} (${account.role})`);
    }
    const admin = (await this.operators.findByEmailForLogin(input.adminEmail))!;
    const publisher: OperatorPrincipal = {
      kind: 'operator',
      operatorId: admin.id,
      tenantId: admin.tenantId,
      tenantSlug: tenant.slug,
      email: admin.email,
      displayName: admin.displayName,
      role: 'ADMIN',
      scope,
    };
    const latest = await this.revisions.latest(scope, store.id);
    const revisions = {} as Record<SyncDomain, number>;
    for (const domain of SYNC_DOMAINS) {
      if (latest.domains[domain].desiredRevision === 0) {
        // ifMatchRevision 0: two seeds racing publish once, the other gets a 409 and stops here.
        const published = await this.revisions.publish(publisher, store.id, { domain, payload: firstRevisionOf(domain), ifMatchRevision: 0 });
        created.push(`${domain} revision ${published.revision}`);
        revisions[domain] = published.revision;
      } else {
        revisions[domain] = latest.domains[domain].desiredRevision;
      }
    }
    return {
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      storeId: store.id,
      storeCode: store.code,
      adminEmail: input.adminEmail.toLowerCase(),
      operators: accounts.map(({ email, role }) => ({ email, role })),
      revisions,
      userPins: DEMO_USER_PINS,
      created,
    };
  }
}

function firstRevisionOf(domain: SyncDomain): Record<string, JsonValue> {
  switch (domain) {
    case 'settings':
      return { values: DEMO_SETTINGS };
    case 'menu':
      return { items: DEMO_MENU };
    case 'roles':
      return { roles: DEMO_ROLES };
    case 'users':
      // PINs in clear through the publish path, which hashes them like an operator's.
      return { users: DEMO_USERS.map((u) => ({ ...u, pin: DEMO_USER_PINS[u.userId]! })) };
  }
}
