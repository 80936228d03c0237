declare const scopeBrand: unique symbol;

/**
 * Proof that a query runs for one tenant. Repositories of tenant-owned data take a scope as their
 * first argument and filter by it, so a query without a tenant does not type-check. Scopes are
 * made by the auth guards (from an operator's or a node's verified identity) and by system jobs
 * (from the row they are working on), never from request input.
 */
export interface TenantScope {
  readonly tenantId: string;
  readonly [scopeBrand]: true;
}

export function tenantScope(tenantId: string): TenantScope {
  if (!tenantId) throw new Error('a tenant scope needs a tenant id');
  return { tenantId } as TenantScope;
}
