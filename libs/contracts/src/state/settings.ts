import { z } from 'zod';
import { jsonValueSchema } from '../common/primitives.js';

export const settingKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'must start with a letter and hold only letters, digits, or _ . -');

export const MAX_SETTINGS = 1_000;

/** A flat map of keys to JSON values (SYSTEM.md section 6). */
export const settingsValuesSchema = z.record(settingKeySchema, jsonValueSchema).refine((v) => Object.keys(v).length <= MAX_SETTINGS, `must hold at most ${MAX_SETTINGS} keys`);
export type SettingsValues = z.infer<typeof settingsValuesSchema>;
