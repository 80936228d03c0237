import { z } from 'zod';
import { jsonValueSchema } from '../common/primitives.js';
import { MAX_SETTINGS, settingKeySchema, settingsValuesSchema } from '../state/settings.js';
import type { DomainDefinition } from './domain-definition.js';

export const settingsStateSchema = z.object({ values: settingsValuesSchema });

export const settingsPatchPayloadSchema = z.object({
  /** `null` removes a key. */
  values: z
    .record(settingKeySchema, jsonValueSchema)
    .refine((v) => Object.keys(v).length >= 1, 'must change at least one key')
    .refine((v) => Object.keys(v).length <= MAX_SETTINGS, `must hold at most ${MAX_SETTINGS} keys`),
});

/** Store settings: a flat map of keys to JSON values (SYSTEM.md section 6). */
export const settingsDomain = {
  name: 'settings',
  title: 'Settings',
  state: settingsStateSchema,
  empty: { values: {} },
  patch: { type: 'SETTINGS_PATCH', schema: settingsPatchPayloadSchema },
  snapshotType: 'SETTINGS_SNAPSHOT',
  publishRoles: ['ADMIN'],
  limits: { maxEntries: MAX_SETTINGS },
} as const satisfies DomainDefinition;
