import { useSignedIn } from '../auth/AuthContext.js';
import { plural } from '../common/format.js';
import { ErrorBanner, Loading } from '../common/ui.js';
import { CellInput, CellSelect, RowRemove } from './cells.js';
import { rowClassName } from './domain-editor.js';
import { settingWarning, settingsSpec, type ValueType } from './settings-spec.js';
import { PublishBar } from './PublishBar.js';
import { useDomainEditor } from './useDomainEditor.js';
import { useFocusRow } from './useFocusRow.js';

const TYPES: [string, string][] = [
  ['text', 'text'],
  ['number', 'number'],
  ['boolean', 'true/false'],
  ['json', 'JSON'],
];

export function SettingsEditor({ storeId }: { storeId: string }) {
  const { can } = useSignedIn();
  const editor = useDomainEditor(storeId, settingsSpec);
  const focusRow = useFocusRow();
  const editable = can.publish('settings');
  if (editor.loadError) return <ErrorBanner error={editor.loadError} onRetry={() => void editor.load()} />;
  if (!editor.loaded) return <Loading what="the settings" />;
  return (
    <section aria-label="Settings editor">
      <div className="toolbar">
        <p className="muted">
          Revision {editor.loaded.revision} · {plural(editor.rows.filter((r) => r.original).length, 'setting')}
        </p>
        {editable && (
          <button type="button" className="btn" onClick={() => focusRow(editor.add())}>
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
                <tr key={row.key} data-row-key={row.key} className={rowClassName(row)}>
                  <td>
                    <CellInput
                      label={`Key of ${row.original ? label : 'new setting'}`}
                      editable={rowEditable && row.original === null}
                      display={<span className="code">{d.key}</span>}
                      value={d.key}
                      error={e.key}
                      onChange={(ev) => editor.update(row.key, { key: ev.target.value })}
                    />
                  </td>
                  <td>
                    <CellSelect
                      label={`Type of ${label}`}
                      editable={rowEditable}
                      value={d.type}
                      options={TYPES}
                      onChange={(v) => editor.update(row.key, { type: v as ValueType })}
                    />
                  </td>
                  <td>
                    <CellInput
                      label={`Value of ${label}`}
                      editable={rowEditable}
                      value={d.value}
                      error={e.value}
                      warning={settingWarning(d)}
                      className="input--wide"
                      onChange={(ev) => editor.update(row.key, { value: ev.target.value })}
                    />
                  </td>
                  {editable && (
                    <td>
                      <RowRemove
                        label={label}
                        removed={row.removed}
                        isNew={row.original === null}
                        onChange={(removed) => editor.setRemoved(row.key, removed)}
                      />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <PublishBar storeId={storeId} domain="settings" revision={editor.loaded.revision} editor={editor} fleet />
    </section>
  );
}
