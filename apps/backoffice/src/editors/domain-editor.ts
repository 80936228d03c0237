import type { JsonValue, SyncDomain } from '@app/contracts';

/** A row of an editor: an item of the published state (or a new one), its draft, and whether it is to go. */
export interface Row<D> {
  key: string;
  /** The published item's draft as loaded (null for a row added here). */
  original: D | null;
  draft: D;
  removed: boolean;
}

export type ParseResult<U> = { ok: true; item: U } | { ok: false; errors: Record<string, string> };

/**
 * What one domain's editor knows about its items: how to read them from the desired state, turn
 * them into editable drafts and back, and build the patch payload that publishes the changes.
 */
export interface DomainEditorSpec<S, D, U> {
  domain: SyncDomain;
  /** The field holding the key of an item (sku, userId, roleId, key). */
  keyField: keyof D & string;
  /** What the published items are, from the desired state. */
  items(state: Record<string, unknown>): S[];
  keyOf(item: S): string;
  toDraft(item: S): D;
  blank(): D;
  /** Checks a draft; errors by field. */
  parse(draft: D): ParseResult<U>;
  /** The patch payload: the changed or new items, and the keys to remove. */
  payload(upserts: U[], removals: string[]): Record<string, JsonValue>;
  /** The list in the payload whose `[i].field` paths name upserted items (`items`, `users`, `roles`), or the record (`values`). */
  payloadList: string;
  payloadShape: 'list' | 'record';
  /** The list in the payload naming removed keys, if removing exists. */
  removalList?: string;
  /** Payload fields edited under another name in the draft (the menu's `priceCents` is typed as `price`). */
  draftFields?: Record<string, string>;
}

export function rowsOf<S, D, U>(spec: DomainEditorSpec<S, D, U>, state: Record<string, unknown>): Row<D>[] {
  return spec.items(state).map((item) => {
    const draft = spec.toDraft(item);
    return { key: `k:${spec.keyOf(item)}`, original: draft, draft, removed: false };
  });
}

export function isChanged<D>(row: Row<D>): boolean {
  if (row.original === null) return !row.removed;
  return row.removed || JSON.stringify(row.draft) !== JSON.stringify(row.original);
}

/** A table row's class: removed, else changed, plus what the editor adds (unavailable, say). */
export function rowClassName<D>(row: Row<D>, ...extra: (string | false)[]): string | undefined {
  const names = [row.removed ? 'row--removed' : isChanged(row) && 'row--changed', ...extra].filter(Boolean);
  return names.length > 0 ? names.join(' ') : undefined;
}

export interface Changes<U> {
  upserts: U[];
  /** The row key of each upsert, in order (to put the server's `[i]` errors on the right row). */
  upsertRows: string[];
  removals: string[];
  /** Errors by row key, then field. */
  errors: Record<string, Record<string, string>>;
}

/** The changes of the rows, checked: what to publish, or the errors to show next to the fields. */
export function collectChanges<S, D, U>(spec: DomainEditorSpec<S, D, U>, rows: Row<D>[]): Changes<U> {
  const out: Changes<U> = { upserts: [], upsertRows: [], removals: [], errors: {} };
  const keys = new Map<string, number>();
  for (const row of rows) if (!row.removed) keys.set(String(row.draft[spec.keyField]).trim(), (keys.get(String(row.draft[spec.keyField]).trim()) ?? 0) + 1);
  for (const row of rows) {
    if (!isChanged(row)) continue;
    if (row.removed) {
      if (row.original) out.removals.push(String(row.original[spec.keyField]));
      continue;
    }
    const parsed = spec.parse(row.draft);
    const errors = parsed.ok ? {} : { ...parsed.errors };
    const key = String(row.draft[spec.keyField]).trim();
    if (row.original && key !== String(row.original[spec.keyField]))
      errors[spec.keyField] ??= 'cannot be changed on a published item (add a new one and remove this one)';
    if ((keys.get(key) ?? 0) > 1) errors[spec.keyField] ??= `'${key}' is used by another row`;
    if (Object.keys(errors).length > 0) out.errors[row.key] = errors;
    else if (parsed.ok) {
      out.upserts.push(parsed.item);
      out.upsertRows.push(row.key);
    }
  }
  return out;
}

/**
 * The server's validation issues (paths without the `payload.` prefix) put on rows: `items[3].priceCents`
 * on the row of the 4th upsert; `values.tax.rate` on the setting `tax.rate`. What names no row is
 * returned apart.
 */
export function mapServerErrors<S, D, U>(
  spec: DomainEditorSpec<S, D, U>,
  changes: Changes<U>,
  rows: Row<D>[],
  byPath: Record<string, string>,
): { rows: Record<string, Record<string, string>>; other: string[] } {
  const out: Record<string, Record<string, string>> = {};
  const other: string[] = [];
  const put = (rowKey: string, field: string, message: string) => ((out[rowKey] ??= {})[field] ??= message);
  for (const [path, message] of Object.entries(byPath)) {
    if (spec.payloadShape === 'list') {
      const m = new RegExp(`^${spec.payloadList}\\[(\\d+)\\](?:\\.([A-Za-z]+))?`).exec(path);
      const rowKey = m ? changes.upsertRows[Number(m[1])] : undefined;
      if (m && rowKey) {
        const field = m[2] ?? spec.keyField;
        put(rowKey, spec.draftFields?.[field] ?? field, message);
        continue;
      }
    } else if (path.startsWith(`${spec.payloadList}.`)) {
      const key = path.slice(spec.payloadList.length + 1);
      const row = rows.find((r) => !r.removed && String(r.draft[spec.keyField]) === key);
      if (row) {
        put(row.key, 'value', message);
        continue;
      }
    }
    other.push(path ? `${path}: ${message}` : message);
  }
  return { rows: out, other };
}

/**
 * Someone else published first: the editor's changes re-applied on top of the latest state. In a
 * changed published item, the fields I changed take my value and the others take theirs (if the
 * item is gone, it comes back as new); removals stay removals, new rows stay new.
 */
export function rebaseRows<S, D, U>(spec: DomainEditorSpec<S, D, U>, mine: Row<D>[], latestState: Record<string, unknown>): Row<D>[] {
  const next = rowsOf(spec, latestState);
  const byKey = new Map(next.map((r) => [r.key, r]));
  for (const row of mine) {
    if (!isChanged(row)) continue;
    const theirs = row.original ? byKey.get(row.key) : undefined;
    if (theirs) {
      theirs.draft = mergeFields(row.original!, row.draft, theirs.draft);
      theirs.removed = row.removed;
    } else if (!row.removed) {
      next.push({ ...row, original: null });
    }
  }
  return next;
}

/** Three-way merge of one item: a field I changed keeps my value, any other takes theirs. */
function mergeFields<D>(base: D, mine: D, theirs: D): D {
  const out = { ...theirs };
  for (const field of Object.keys(mine as object) as (keyof D)[]) {
    if (JSON.stringify(mine[field]) !== JSON.stringify(base[field])) out[field] = mine[field];
  }
  return out;
}
