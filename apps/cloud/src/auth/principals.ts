import type { OperatorRoleName } from '@app/contracts';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** An authenticated HQ operator, as loaded from the database on this request. */
export interface OperatorPrincipal {
  kind: 'operator';
  operatorId: string;
  tenantId: string;
  tenantSlug: string;
  email: string;
  displayName: string;
  role: OperatorRoleName;
  scope: TenantScope;
}

/** An authenticated, active store node (the store's agent). */
export interface NodePrincipal {
  kind: 'node';
  nodeId: string;
  tenantId: string;
  storeId: string;
  scope: TenantScope;
}
