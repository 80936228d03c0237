import type { ClusterRole } from '@app/contracts';

/** Metadata key of an edge route's access policy (set by EdgeRoute and PublicEdgeRoute). */
export const EDGE_ACCESS_POLICY = 'edge:access-policy';

export type EdgeAccessPolicy = { kind: 'public' } | { kind: 'token'; roles: readonly ClusterRole[] };

/** A device route is also open to the agent: it reads the same state and read models. */
export function allowedRoles(requested: readonly ClusterRole[]): readonly ClusterRole[] {
  return requested.includes('device') && !requested.includes('agent') ? [...requested, 'agent'] : requested;
}
