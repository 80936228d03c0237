import { z } from 'zod';

export const skuSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be 1-64 letters, digits, or . _ - (starting with a letter or digit)');

export const STATIONS = ['kitchen', 'bar'] as const;
export const stationSchema = z.enum(STATIONS).nullable();
export type Station = (typeof STATIONS)[number];

/** Highest price one menu line may carry: 1,000,000.00 in the store's currency. */
export const MAX_PRICE_CENTS = 100_000_000;

export const menuModifierSchema = z.object({
  name: z.string().trim().min(1).max(120),
  priceCents: z.number().int().min(0).max(MAX_PRICE_CENTS),
});

export const menuItemSchema = z.object({
  sku: skuSchema,
  name: z.string().trim().min(1, 'must not be empty').max(120),
  priceCents: z.number({ error: 'must be a whole number of cents' }).int('must be a whole number of cents').min(0, 'must not be negative').max(MAX_PRICE_CENTS),
  category: z.string().trim().min(1, 'must not be empty').max(60),
  station: stationSchema,
  available: z.boolean(),
  modifiers: z.array(menuModifierSchema).max(50).optional(),
});
export type MenuItem = z.infer<typeof menuItemSchema>;

/** At most this many items in one store's menu, and in one command. */
export const MAX_MENU_ITEMS = 5_000;
