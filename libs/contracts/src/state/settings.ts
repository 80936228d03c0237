import { z } from 'zod';
import { jsonValueSchema } from '../common/primitives.js';

export const settingKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'must start with a letter and hold only letters, digits, or _ . -');

export const MAX_SETTINGS = 1_000;

/** A flat map of keys to JSON values (SYSTEM.md section 6). */
export const settingsValuesSchema = z
  .record(settingKeySchema, jsonValueSchema)
  .refine((v) => Object.keys(v).length <= MAX_SETTINGS, `must hold at most ${MAX_SETTINGS} keys`);
export type SettingsValues = z.infer<typeof settingsValuesSchema>;

/**
 * The setting that names a store's currency, as an ISO 4217 code such as `GBP` (the demo seed sets
 * it). Amounts everywhere (`priceCents`, `salesCents`) are hundredths of that currency.
 */
export const STORE_CURRENCY_SETTING = 'store.currency';

let knownCurrencies: ReadonlySet<string> | undefined;

/**
 * The ISO 4217 code a setting value names, upper-cased (`gbp` is `GBP`); null when the value is not
 * a currency code the runtime's Intl knows (unset, a number, `pounds`, `XYZ`).
 */
export function currencyCodeOf(value: unknown): string | null {
  if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value.trim())) return null;
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  const code = value.trim().toUpperCase();
  return knownCurrencies.has(code) ? code : null;
}
