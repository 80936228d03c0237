import { settingKeySchema, type JsonValue } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { ErrorBanner, Loading } from '../common/ui.js';
import { CellInput, CellSelect, RowRemove } from './cells.js';
import { isChanged, type DomainEditorSpec } from './domain-editor.js';
import { PublishBar } from './PublishBar.js';
import { useDomainEditor } from './useDomainEditor.js';

type ValueType = 'text' | 'number' | 'boolean' | 'json';

interface Setting {
  key: string;
  value: JsonValue;
}

interface SettingDraft {
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
  payload: (upserts, removals) => ({ values: Object.fromEntries([...upserts.map((s) => [s.key, s.value] as const), ...removals.map((k) => [k, null] as const)]) }),
  payloadList: 'values',
  payloadShape: 'record',
};

const TYPES: [string, string][] = [
  ['text', 'text'],
  ['number', 'number'],
  ['boolean', 'true/false'],
  ['json', 'JSON'],
];

export function SettingsEditor({ storeId }: { storeId: string }) {
  const { can } = useSignedIn();
  const editor = useDomainEditor(storeId, settingsSpec);
  const editable = can.publish('settings');
  if (editor.loadError) return <ErrorBanner error={editor.loadError} onRetry={() => void editor.load()} />;
  if (!editor.loaded) return <Loading what="the settings" />;
  return (
    <section aria-label="Settings editor">
      <div className="toolbar">
        <p className="muted">
          Revision {editor.loaded.revision} · {editor.rows.filter((r) => r.original).length} settings
        </p>
        {editable && (
          <button type="button" className="btn" onClick={() => editor.add()}>
            Add setting
          </button>
        )}
      </div>
      <div className="table-wrap">
        <table className="table table--editor" aria-label="Settings">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              {editable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {editor.rows.map((row) => {
              const d = row.draft;
              const e = editor.errors[row.key] ?? {};
              const label = d.key || 'new setting';
              const rowEditable = editable && !row.removed;
              return (
                <tr key={row.key} className={row.removed ? 'row--removed' : isChanged(row) ? 'row--changed' : undefined}>
                  <td>
                    <CellInput label={`Key of ${row.original ? label : 'new setting'}`} editable={rowEditable && row.original === null} display={<span className="code">{d.key}</span>} value={d.key} error={e.key} onChange={(ev) => editor.update(row.key, { key: ev.target.value })} />
                  </td>
                  <td>
                    <CellSelect label={`Type of ${label}`} editable={rowEditable} value={d.type} options={TYPES} onChange={(v) => editor.update(row.key, { type: v as ValueType })} />
                  </td>
                  <td>
                    <CellInput label={`Value of ${label}`} editable={rowEditable} value={d.value} error={e.value} className="input--wide" onChange={(ev) => editor.update(row.key, { value: ev.target.value })} />
                  </td>
                  {editable && (
                    <td>
                      <RowRemove label={label} removed={row.removed} isNew={row.original === null} onChange={(removed) => editor.setRemoved(row.key, removed)} />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <PublishBar storeId={storeId} domain="settings" revision={editor.loaded.revision} changedCount={editor.changedCount} busy={editor.busy} outcome={editor.outcome} publish={editor.publish} discard={editor.discard} rebase={editor.rebase} fleet />
    </section>
  );
}
