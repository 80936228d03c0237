import { z } from 'zod';
import { MAX_MENU_ITEMS, menuItemSchema, skuSchema } from '../state/menu.js';
import { uniqueBy, type DomainDefinition } from './domain-definition.js';

const menuItemsSchema = z
  .array(menuItemSchema)
  .max(MAX_MENU_ITEMS)
  .superRefine(uniqueBy((i) => i.sku, 'sku'));

export const menuStateSchema = z.object({ items: menuItemsSchema });

export const menuUpsertBatchPayloadSchema = z
  .object({
    items: menuItemsSchema,
    removeSkus: z.array(skuSchema).max(MAX_MENU_ITEMS).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.items.length === 0 && (p.removeSkus?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'must upsert or remove at least one item' });
    }
    const upserted = new Set(p.items.map((i) => i.sku));
    p.removeSkus?.forEach((sku, index) => {
      if (upserted.has(sku)) ctx.addIssue({ code: 'custom', path: ['removeSkus', index], message: `sku '${sku}' is both upserted and removed` });
    });
  });

/** The menu: items by sku, with prices, categories, stations and modifiers. */
export const menuDomain = {
  name: 'menu',
  title: 'Menu',
  state: menuStateSchema,
  empty: { items: [] },
  patch: { type: 'MENU_UPSERT_BATCH', schema: menuUpsertBatchPayloadSchema },
  snapshotType: 'MENU_SNAPSHOT',
  publishRoles: ['ADMIN', 'MENU_EDITOR'],
  limits: { maxEntries: MAX_MENU_ITEMS },
} as const satisfies DomainDefinition;
