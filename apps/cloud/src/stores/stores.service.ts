import { Injectable } from '@nestjs/common';
import { ContractValidationError, type CreateStoreRequest, type FleetResponse, type FleetStoreView } from '@app/contracts';
import { NotFoundException } from '@app/nest-kit';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { isValidTimeZone } from '../common/time-zone.js';
import { CloudConfig } from '../config/cloud-config.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { FleetService } from '../fleet/fleet.service.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { isUniqueViolation } from '../tenancy/unique-violation.js';
import { StoresException } from './stores.exception.js';
import { StoresRepository, type StoreRow } from './stores.repository.js';

@Injectable()
export class StoresService {
  constructor(
    private readonly config: CloudConfig,
    private readonly stores: StoresRepository,
    private readonly fleet: FleetService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * The store, if it belongs to the scope's tenant. Another tenant's store is a 404 exactly like a
   * store that does not exist: the answer never confirms that an id is in use elsewhere.
   */
  async require(scope: TenantScope, storeId: string): Promise<StoreRow> {
    const store = await this.stores.findById(scope, storeId);
    if (!store) throw new NotFoundException('store', storeId);
    return store;
  }

  /** All of these stores, or a 404 naming the first one the tenant does not have. */
  async requireAll(scope: TenantScope, storeIds: readonly string[]): Promise<StoreRow[]> {
    const found = new Map((await this.stores.findManyByIds(scope, storeIds)).map((s) => [s.id, s]));
    const missing = storeIds.find((id) => !found.has(id));
    if (missing !== undefined) throw new NotFoundException('store', missing);
    return storeIds.map((id) => found.get(id)!);
  }

  async fleetView(scope: TenantScope): Promise<FleetResponse> {
    const now = new Date();
    const stores = await this.stores.listAll(scope);
    return { stores: await this.fleet.views(scope, stores, now), offlineAfterSeconds: this.config.nodeOfflineAfterSeconds, generatedAt: now.toISOString() };
  }

  async view(scope: TenantScope, storeId: string): Promise<FleetStoreView> {
    const store = await this.require(scope, storeId);
    return (await this.fleet.views(scope, [store]))[0]!;
  }

  async create(scope: TenantScope, actor: Actor, input: CreateStoreRequest): Promise<FleetStoreView> {
    if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
      throw new ContractValidationError(
        [{ path: 'timezone', code: 'invalid_time_zone', message: 'must be an IANA time zone such as Europe/London' }],
        'request body',
      );
    }
    let store: StoreRow;
    try {
      store = await this.transactions.run(async (tx) => {
        const created = await this.stores.create(tx, scope, input);
        await this.audit.record(tx, scope, {
          storeId: created.id,
          actor,
          action: 'store.created',
          targetType: 'store',
          targetId: created.id,
          details: { code: created.code, name: created.name, timezone: created.timezone },
        });
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw StoresException.codeTaken(input.code);
      throw error;
    }
    return (await this.fleet.views(scope, [store]))[0]!;
  }
}
