import { STORE_CURRENCY_SETTING, currencyCodeOf, settingKeySchema, type JsonValue } from '@app/contracts';
import type { DomainEditorSpec } from './domain-editor.js';

export type ValueType = 'text' | 'number' | 'boolean' | 'json';

interface Setting {
  key: string;
  value: JsonValue;
}

export interface SettingDraft {
  key: string;
  type: ValueType;
  value: string;
}

function typeOf(value: JsonValue): ValueType {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

function parseValue(type: ValueType, text: string): { ok: true; value: JsonValue } | { ok: false; error: string } {
  switch (type) {
    case 'text':
      return { ok: true, value: text };
    case 'number': {
      const n = Number(text.trim());
      return text.trim() !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: 'must be a number' };
    }
    case 'boolean':
      return text === 'true' || text === 'false' ? { ok: true, value: text === 'true' } : { ok: false, error: 'must be true or false' };
    case 'json':
      try {
        const value = JSON.parse(text) as JsonValue;
        return value === null ? { ok: false, error: 'must not be null (remove the setting instead)' } : { ok: true, value };
      } catch {
        return { ok: false, error: 'must be valid JSON' };
      }
  }
}

export const settingsSpec: DomainEditorSpec<Setting, SettingDraft, Setting> = {
  domain: 'settings',
  keyField: 'key',
  items: (state) =>
    Object.entries((state.values as Record<string, JsonValue> | undefined) ?? {})
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  keyOf: (s) => s.key,
  toDraft: (s) => ({ key: s.key, type: typeOf(s.value), value: typeOf(s.value) === 'json' ? JSON.stringify(s.value) : String(s.value) }),
  blank: () => ({ key: '', type: 'text', value: '' }),
  parse: (d) => {
    const errors: Record<string, string> = {};
    const key = settingKeySchema.safeParse(d.key.trim());
    if (!key.success) errors.key = d.key.trim() ? key.error.issues[0]!.message : 'is required';
    const value = parseValue(d.type, d.value);
    if (!value.ok) errors.value = value.error;
    return key.success && value.ok ? { ok: true, item: { key: key.data, value: value.value } } : { ok: false, errors };
  },
  payload: (upserts, removals) => ({
    values: Object.fromEntries([...upserts.map((s) => [s.key, s.value] as const), ...removals.map((k) => [k, null] as const)]),
  }),
  payloadList: 'values',
  payloadShape: 'record',
};

/** A value the cloud takes but that does not do what its key is for: said under the field, publishing still allowed. */
export function settingWarning(d: SettingDraft): string | undefined {
  if (d.key.trim() === STORE_CURRENCY_SETTING && currencyCodeOf(d.type === 'text' ? d.value : null) === null)
    return 'not an ISO 4217 currency code such as GBP: sales are shown without a currency';
  return undefined;
}
