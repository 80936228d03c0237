import { useMemo, useState } from 'react';
import { menuItemSchema, type MenuItem } from '@app/contracts';
import { useSignedIn } from '../auth/AuthContext.js';
import { centsToText, money, textToCents } from '../common/format.js';
import { ErrorBanner, Loading } from '../common/ui.js';
import { CellCheckbox, CellInput, CellSelect, RowRemove } from './cells.js';
import { isChanged, type DomainEditorSpec } from './domain-editor.js';
import { fieldErrors } from './field-errors.js';
import { PublishBar } from './PublishBar.js';
import { useDomainEditor } from './useDomainEditor.js';

interface MenuDraft {
  sku: string;
  name: string;
  price: string;
  category: string;
  station: '' | 'kitchen' | 'bar';
  available: boolean;
  modifiers?: MenuItem['modifiers'];
}

/** Where zod's field names land in the draft (the price is typed as text). */
const DRAFT_FIELD: Record<string, string> = { priceCents: 'price' };

export const menuSpec: DomainEditorSpec<MenuItem, MenuDraft, MenuItem> = {
  domain: 'menu',
  keyField: 'sku',
  items: (state) => (state.items as MenuItem[] | undefined) ?? [],
  keyOf: (item) => item.sku,
  toDraft: (item) => ({
    sku: item.sku,
    name: item.name,
    price: centsToText(item.priceCents),
    category: item.category,
    station: item.station ?? '',
    available: item.available,
    ...(item.modifiers ? { modifiers: item.modifiers } : {}),
  }),
  blank: () => ({ sku: '', name: '', price: '', category: '', station: '', available: true }),
  parse: (d) => {
    const cents = textToCents(d.price);
    const checked = menuItemSchema.safeParse({ sku: d.sku.trim(), name: d.name, priceCents: cents ?? 0, category: d.category, station: d.station || null, available: d.available, ...(d.modifiers ? { modifiers: d.modifiers } : {}) });
    const errors = checked.success ? {} : renameFields(fieldErrors(checked.error.issues));
    if (cents === null) errors.price = d.price.trim() ? 'must be a price like 12.50' : 'is required';
    else if (cents < 0) errors.price = 'must not be negative';
    return Object.keys(errors).length > 0 || !checked.success ? { ok: false, errors } : { ok: true, item: checked.data };
  },
  payload: (items, removeSkus) => ({ items, ...(removeSkus.length > 0 ? { removeSkus } : {}) }) as never,
  payloadList: 'items',
  payloadShape: 'list',
  removalList: 'removeSkus',
};

export function renameFields(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [DRAFT_FIELD[k] ?? k.split(/[.[]/)[0]!, v]));
}

const STATION_OPTIONS: [string, string][] = [
  ['', 'none'],
  ['kitchen', 'kitchen'],
  ['bar', 'bar'],
];

export function MenuEditor({ storeId }: { storeId: string }) {
  const { can } = useSignedIn();
  const editor = useDomainEditor(storeId, menuSpec);
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
          Revision {editor.loaded.revision} · {editor.rows.filter((r) => r.original).length} items
          {editor.loaded.publishedBy && ` · last published by ${editor.loaded.publishedBy}`}
        </p>
        {editable && (
          <button type="button" className="btn" onClick={() => editor.add()}>
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
              const cls = [row.removed && 'row--removed', isChanged(row) && !row.removed && 'row--changed', !d.available && 'row--unavailable'].filter(Boolean).join(' ');
              return (
                <tr key={row.key} className={cls || undefined}>
                  <td>
                    <CellInput label={`SKU of ${row.original ? label : 'new item'}`} editable={rowEditable && row.original === null} display={<span className="code">{d.sku}</span>} value={d.sku} error={e.sku} onChange={(ev) => editor.update(row.key, { sku: ev.target.value })} />
                  </td>
                  <td>
                    <CellInput label={`Name of ${label}`} editable={rowEditable} value={d.name} error={e.name} onChange={(ev) => editor.update(row.key, { name: ev.target.value })} />
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
      <PublishBar
        storeId={storeId}
        domain="menu"
        revision={editor.loaded.revision}
        changedCount={editor.changedCount}
        busy={editor.busy}
        outcome={editor.outcome}
        publish={editor.publish}
        discard={editor.discard}
        rebase={editor.rebase}
        fleet
      />
    </section>
  );
}
