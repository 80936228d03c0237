import { useMemo, useState } from 'react';
import { useSignedIn } from '../auth/AuthContext.js';
import { money, plural, textToCents } from '../common/format.js';
import { ErrorBanner, Loading } from '../common/ui.js';
import { CellCheckbox, CellInput, CellSelect, RowRemove } from './cells.js';
import { isChanged, rowClassName } from './domain-editor.js';
import { menuSpec, type MenuDraft } from './menu-spec.js';
import { PublishBar } from './PublishBar.js';
import { useDomainEditor } from './useDomainEditor.js';
import { useFocusRow } from './useFocusRow.js';

const STATION_OPTIONS: [string, string][] = [
  ['', 'none'],
  ['kitchen', 'kitchen'],
  ['bar', 'bar'],
];

export function MenuEditor({ storeId }: { storeId: string }) {
  const { can } = useSignedIn();
  const editor = useDomainEditor(storeId, menuSpec);
  const focusRow = useFocusRow();
  const editable = can.publish('menu');
  const [search, setSearch] = useState('');
  const visible = useMemo(() => {
    const q = search.trim().toLowerCase();
    return editor.rows.filter((r) => !q || isChanged(r) || `${r.draft.sku} ${r.draft.name} ${r.draft.category}`.toLowerCase().includes(q));
  }, [editor.rows, search]);

  if (editor.loadError) return <ErrorBanner error={editor.loadError} onRetry={() => void editor.load()} />;
  if (!editor.loaded) return <Loading what="the menu" />;
  const categories = [...new Set(editor.rows.map((r) => r.draft.category).filter(Boolean))].sort();

  return (
    <section aria-label="Menu editor">
      <div className="toolbar">
        <div className="toolbar__field">
          <label htmlFor="menu-search">Search the menu</label>
          <input id="menu-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="SKU, name or category" />
        </div>
        <p className="muted">
          Revision {editor.loaded.revision} · {plural(editor.rows.filter((r) => r.original).length, 'item')}
          {editor.loaded.publishedBy && ` · last published by ${editor.loaded.publishedBy}`}
        </p>
        {editable && (
          <button type="button" className="btn" onClick={() => focusRow(editor.add())}>
            Add item
          </button>
        )}
      </div>
      <datalist id="menu-categories">
        {categories.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <div className="table-wrap">
        <table className="table table--editor" aria-label="Menu items">
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Name</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col">Category</th>
              <th scope="col">Station</th>
              <th scope="col">Available</th>
              {editable && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => {
              const d = row.draft;
              const e = editor.errors[row.key] ?? {};
              const label = d.sku || 'new item';
              const rowEditable = editable && !row.removed;
              return (
                <tr key={row.key} data-row-key={row.key} className={rowClassName(row, !d.available && 'row--unavailable')}>
                  <td>
                    <CellInput label={`SKU of ${row.original ? label : 'new item'}`} editable={rowEditable && row.original === null} display={<span className="code">{d.sku}</span>} value={d.sku} error={e.sku} onChange={(ev) => editor.update(row.key, { sku: ev.target.value })} />
                  </td>
                  <td>
                    <CellInput label={`Name of ${label}`} editable={rowEditable} value={d.name} error={e.name} onChange={(ev) => editor.update(row.key, { name: ev.target.value })} />
                    {d.modifiers && d.modifiers.length > 0 && (
                      <small className="muted" title={d.modifiers.map((m) => `${m.name} +${money(m.priceCents)}`).join(', ')}>
                        {plural(d.modifiers.length, 'modifier')} (kept as published)
                      </small>
                    )}
                  </td>
                  <td className="num">
                    <CellInput
                      label={`Price of ${label}`}
                      editable={rowEditable}
                      display={textToCents(d.price) !== null ? money(textToCents(d.price)!) : d.price}
                      className="input--price"
                      inputMode="decimal"
                      value={d.price}
                      error={e.price}
                      onChange={(ev) => editor.update(row.key, { price: ev.target.value })}
                    />
                  </td>
                  <td>
                    <CellInput label={`Category of ${label}`} editable={rowEditable} list="menu-categories" value={d.category} error={e.category} onChange={(ev) => editor.update(row.key, { category: ev.target.value })} />
                  </td>
                  <td>
                    <CellSelect label={`Station of ${label}`} editable={rowEditable} value={d.station} error={e.station} options={STATION_OPTIONS} onChange={(v) => editor.update(row.key, { station: v as MenuDraft['station'] })} />
                  </td>
                  <td>
                    <CellCheckbox label={`${label} available`} editable={rowEditable} checked={d.available} text={['available', 'unavailable']} onChange={(v) => editor.update(row.key, { available: v })} />
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
      <PublishBar storeId={storeId} domain="menu" revision={editor.loaded.revision} editor={editor} fleet />
    </section>
  );
}
