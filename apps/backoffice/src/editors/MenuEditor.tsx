import { money, plural, textToCents } from '../common/format.js';
import { CellCheckbox, CellInput, CellSelect } from './cells.js';
import { ListEditor, type ListEditorLayout } from './ListEditor.js';
import { menuSpec, type MenuDraft } from './menu-spec.js';

const STATION_OPTIONS: [string, string][] = [
  ['', 'none'],
  ['kitchen', 'kitchen'],
  ['bar', 'bar'],
];

const menuLayout: ListEditorLayout<MenuDraft> = {
  section: 'Menu editor',
  table: 'Menu items',
  noun: 'item',
  newRow: 'new item',
  add: 'Add item',
  loading: 'the menu',
  key: { header: 'SKU', label: 'SKU' },
  removable: true,
  rowClass: (d) => !d.available && 'row--unavailable',
  search: { label: 'Search the menu', placeholder: 'SKU, name or category', text: (d) => `${d.sku} ${d.name} ${d.category}` },
  extras: (editor) => (
    <datalist id="menu-categories">
      {[...new Set(editor.rows.map((r) => r.draft.category).filter(Boolean))].sort().map((c) => (
        <option key={c} value={c} />
      ))}
    </datalist>
  ),
  columns: [
    {
      header: 'Name',
      cell: ({ draft: d, errors: e, label, editable, update }) => (
        <>
          <CellInput label={`Name of ${label}`} editable={editable} value={d.name} error={e.name} onChange={(ev) => update({ name: ev.target.value })} />
          {d.modifiers && d.modifiers.length > 0 && (
            <small className="muted" title={d.modifiers.map((m) => `${m.name} +${money(m.priceCents)}`).join(', ')}>
              {plural(d.modifiers.length, 'modifier')} (kept as published)
            </small>
          )}
        </>
      ),
    },
    {
      header: 'Price',
      numeric: true,
      cell: ({ draft: d, errors: e, label, editable, update }) => (
        <CellInput
          label={`Price of ${label}`}
          editable={editable}
          display={textToCents(d.price) !== null ? money(textToCents(d.price)!) : d.price}
          className="input--price"
          inputMode="decimal"
          value={d.price}
          error={e.price}
          onChange={(ev) => update({ price: ev.target.value })}
        />
      ),
    },
    {
      header: 'Category',
      cell: ({ draft: d, errors: e, label, editable, update }) => (
        <CellInput
          label={`Category of ${label}`}
          editable={editable}
          list="menu-categories"
          value={d.category}
          error={e.category}
          onChange={(ev) => update({ category: ev.target.value })}
        />
      ),
    },
    {
      header: 'Station',
      cell: ({ draft: d, errors: e, label, editable, update }) => (
        <CellSelect
          label={`Station of ${label}`}
          editable={editable}
          value={d.station}
          error={e.station}
          options={STATION_OPTIONS}
          onChange={(v) => update({ station: v as MenuDraft['station'] })}
        />
      ),
    },
    {
      header: 'Available',
      cell: ({ draft: d, label, editable, update }) => (
        <CellCheckbox
          label={`${label} available`}
          editable={editable}
          checked={d.available}
          text={['available', 'unavailable']}
          onChange={(v) => update({ available: v })}
        />
      ),
    },
  ],
};

export function MenuEditor({ storeId }: { storeId: string }) {
  return <ListEditor storeId={storeId} spec={menuSpec} layout={menuLayout} />;
}
