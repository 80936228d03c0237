import { menuItemSchema, type JsonValue, type MenuItem } from '@app/contracts';
import { centsToText, textToCents } from '../common/format.js';
import type { DomainEditorSpec } from './domain-editor.js';
import { fieldErrors } from './field-errors.js';

export interface MenuDraft {
  sku: string;
  name: string;
  price: string;
  category: string;
  station: '' | 'kitchen' | 'bar';
  available: boolean;
  modifiers?: MenuItem['modifiers'];
}

/** Where zod's field names land in the draft (the price is typed as text). */
const DRAFT_FIELD: Record<string, string> = { priceCents: 'price' };

export const menuSpec: DomainEditorSpec<MenuItem, MenuDraft, MenuItem> = {
  domain: 'menu',
  keyField: 'sku',
  items: (state) => (state.items as MenuItem[] | undefined) ?? [],
  keyOf: (item) => item.sku,
  toDraft: (item) => ({
    sku: item.sku,
    name: item.name,
    price: centsToText(item.priceCents),
    category: item.category,
    station: item.station ?? '',
    available: item.available,
    ...(item.modifiers ? { modifiers: item.modifiers } : {}),
  }),
  blank: () => ({ sku: '', name: '', price: '', category: '', station: '', available: true }),
  parse: (d) => {
    const cents = textToCents(d.price);
    const checked = menuItemSchema.safeParse({
      sku: d.sku.trim(),
      name: d.name,
      priceCents: cents ?? 0,
      category: d.category,
      station: d.station || null,
      available: d.available,
      ...(d.modifiers ? { modifiers: d.modifiers } : {}),
    });
    const errors = checked.success ? {} : renameFields(fieldErrors(checked.error.issues));
    if (cents === null) errors.price = d.price.trim() ? 'must be a price like 12.50' : 'is required';
    else if (cents < 0) errors.price = 'must not be negative';
    return Object.keys(errors).length > 0 || !checked.success ? { ok: false, errors } : { ok: true, item: checked.data };
  },
  payload: (items, removeSkus) => ({ items: items as unknown as JsonValue[], ...(removeSkus.length > 0 ? { removeSkus } : {}) }),
  payloadList: 'items',
  draftFields: DRAFT_FIELD,
  payloadShape: 'list',
  removalList: 'removeSkus',
};

export function renameFields(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [DRAFT_FIELD[k] ?? k.split(/[.[]/)[0]!, v]));
}
