import { useMemo, useState, type ReactNode } from 'react';
import { useSignedIn } from '../auth/AuthContext.js';
import { plural } from '../common/format.js';
import { ErrorBanner, Loading } from '../common/ui.js';
import { CellInput, RowRemove } from './cells.js';
import { isChanged, rowClassName, type DomainEditorSpec, type Row } from './domain-editor.js';
import { PublishBar } from './PublishBar.js';
import { useDomainEditor, type DomainEditor } from './useDomainEditor.js';
import { useFocusRow } from './useFocusRow.js';

/** What a column's cell gets: its row, the row's errors by field, and how to change the draft. */
export interface CellContext<D> {
  row: Row<D>;
  draft: D;
  errors: Record<string, string>;
  /** How the row is named in labels: its key, or the editor's name for a new row. */
  label: string;
  editable: boolean;
  update: (patch: Partial<D>) => void;
}

export interface ListColumn<D> {
  header: string;
  numeric?: boolean;
  cell: (c: CellContext<D>) => ReactNode;
}

/** One list-shaped domain's editor: its item spec (domain-editor.ts), its columns and its words. */
export interface ListEditorLayout<D> {
  /** The section's and the table's accessible names ("Menu editor", "Menu items"). */
  section: string;
  table: string;
  /** The noun counted in the toolbar ("item", "till user") and a new row's name ("new item"). */
  noun: string;
  newRow: string;
  add: string;
  loading: string;
  /** The key column: its header and the label of its field ("SKU" → "SKU of new item"). */
  key: { header: string; label: string };
  columns: ListColumn<D>[];
  hint?: ReactNode;
  /** Published items can be removed (a payload with a removal list); otherwise only new rows drop. */
  removable: boolean;
  rowClass?: (draft: D) => string | false;
  /** A search box over the rows: the text each row is found by. */
  search?: { label: string; placeholder: string; text: (draft: D) => string };
  /** What the editor adds around the table (a datalist of categories, say). */
  extras?: (editor: DomainEditor<D>) => ReactNode;
}

/**
 * The editor of a list-shaped domain (menu, users, roles, and any registered domain of that shape):
 * a row per item, the key editable only on a new row, errors next to their fields, search, add,
 * remove or undo, and the publish bar (to this store, or the same change to others).
 */
export function ListEditor<S, D, U>({ storeId, spec, layout }: { storeId: string; spec: DomainEditorSpec<S, D, U>; layout: ListEditorLayout<D> }) {
  const { can } = useSignedIn();
  const editor = useDomainEditor(storeId, spec);
  const focusRow = useFocusRow();
  const editable = can.publish(spec.domain);
  const [search, setSearch] = useState('');
  const visible = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q || !layout.search) return editor.rows;
    const text = layout.search.text;
    return editor.rows.filter((r) => isChanged(r) || text(r.draft).toLowerCase().includes(q));
  }, [editor.rows, search, layout.search]);

  if (editor.loadError) return <ErrorBanner error={editor.loadError} onRetry={() => void editor.load()} />;
  if (!editor.loaded) return <Loading what={layout.loading} />;
  const searchId = `${spec.domain}-search`;

  return (
    <section aria-label={layout.section}>
      <div className="toolbar">
        {layout.search && (
          <div className="toolbar__field">
            <label htmlFor={searchId}>{layout.search.label}</label>
            <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={layout.search.placeholder} />
          </div>
        )}
        <p className="muted">
          Revision {editor.loaded.revision} · {plural(editor.rows.filter((r) => r.original).length, layout.noun)}
          {editor.loaded.publishedBy && ` · last published by ${editor.loaded.publishedBy}`}
          {layout.hint && <> · {layout.hint}</>}
        </p>
        {editable && (
          <button type="button" className="btn" onClick={() => focusRow(editor.add())}>
            {layout.add}
          </button>
        )}
      </div>
      {layout.extras?.(editor as unknown as DomainEditor<D>)}
      <div className="table-wrap">
        <table className="table table--editor" aria-label={layout.table}>
          <thead>
            <tr>
              <th scope="col">{layout.key.header}</th>
              {layout.columns.map((c) => (
                <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>
                  {c.header}
                </th>
              ))}
              {editable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => {
              const key = String(row.draft[spec.keyField]);
              const label = key || layout.newRow;
              const rowEditable = editable && !row.removed;
              const context: CellContext<D> = {
                row,
                draft: row.draft,
                errors: editor.errors[row.key] ?? {},
                label,
                editable: rowEditable,
                update: (patch) => editor.update(row.key, patch),
              };
              return (
                <tr key={row.key} data-row-key={row.key} className={rowClassName(row, layout.rowClass?.(row.draft) ?? false)}>
                  <td>
                    <CellInput
                      label={`${layout.key.label} of ${row.original ? label : layout.newRow}`}
                      editable={rowEditable && row.original === null}
                      display={<span className="code">{key}</span>}
                      value={key}
                      error={context.errors[spec.keyField]}
                      onChange={(ev) => context.update({ [spec.keyField]: ev.target.value } as Partial<D>)}
                    />
                  </td>
                  {layout.columns.map((c) => (
                    <td key={c.header} className={c.numeric ? 'num' : undefined}>
                      {c.cell(context)}
                    </td>
                  ))}
                  {editable && (
                    <td>
                      {(layout.removable || row.original === null) && (
                        <RowRemove
                          label={label}
                          removed={row.removed}
                          isNew={row.original === null}
                          onChange={(removed) => editor.setRemoved(row.key, removed)}
                        />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <PublishBar storeId={storeId} domain={spec.domain} revision={editor.loaded.revision} editor={editor} fleet />
    </section>
  );
}
