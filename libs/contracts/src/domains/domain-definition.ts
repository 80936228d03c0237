import type { z } from 'zod';
import type { OperatorRoleName } from '../common/operator-roles.js';

/**
 * Everything about one synced domain, declared once (docs/architecture.md, "Adding a domain").
 * The command types, the payload schemas, the domain lists of the heartbeat and the socket, who may
 * publish and what devices see are all derived from the registry of these (registry.ts).
 *
 * A domain's whole state is an object; its snapshot command carries exactly that state, so the
 * snapshot's payload schema is the state schema.
 */
export interface DomainDefinition {
  /** The domain's name on the wire and in the database: lower case, at most 32 characters. */
  readonly name: string;
  /** How operators see it (the backoffice tab). */
  readonly title: string;
  /** The whole state, which is also the snapshot command's payload. */
  readonly state: z.ZodType<Record<string, unknown>>;
  /** The state of a store that never received the domain (revision 0). */
  readonly empty: Record<string, unknown>;
  /** The command an operator's publish becomes: a change on top of the current state. */
  readonly patch: { readonly type: string; readonly schema: z.ZodType<Record<string, unknown>> };
  /** The command that replaces the whole state (reconciliation, dead-letter supersession). */
  readonly snapshotType: string;
  /** The operator roles that may publish it. */
  readonly publishRoles: readonly OperatorRoleName[];
  /** The state as devices read it from the hub; absent: the state as it is. */
  readonly publicView?: (state: never) => Record<string, unknown>;
  /** The most entries (items, keys, users...) the state and one command may hold. */
  readonly limits: { readonly maxEntries: number };
}

/** Duplicate keys of a list are refused with the index of the second one. */
export function uniqueBy<T>(key: (item: T) => string, label: string) {
  return (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate ${label} '${k}'` });
      seen.add(k);
    });
  };
}
