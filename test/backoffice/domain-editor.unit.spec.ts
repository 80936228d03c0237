import type { MenuItem } from '@app/contracts';
import { collectChanges, isChanged, mapServerErrors, rebaseRows, rowsOf, type Row } from '../../apps/backoffice/src/editors/domain-editor.js';
import { menuSpec } from '../../apps/backoffice/src/editors/menu-spec.js';
import { settingWarning, settingsSpec } from '../../apps/backoffice/src/editors/settings-spec.js';
import { centsToText, textToCents } from '../../apps/backoffice/src/common/format.js';

const burger: MenuItem = { sku: 'B1', name: 'Burger', priceCents: 900, category: 'Mains', station: 'kitchen', available: true };
const beer: MenuItem = { sku: 'D1', name: 'Beer', priceCents: 500, category: 'Drinks', station: 'bar', available: true };
const menuState = (...items: MenuItem[]) => ({ items });

function edit<D>(rows: Row<D>[], key: string, patch: Partial<D>): Row<D>[] {
  return rows.map((r) => (r.key === key ? { ...r, draft: { ...r.draft, ...patch } } : r));
}

describe('the backoffice editors', () => {
  describe('prices', () => {
    it.each([
      ['14.50', 1450],
      ['14.5', 1450],
      ['14', 1400],
      ['0.05', 5],
      [' 3.99 ', 399],
    ])('should read %p as %p cents', (text, cents) => expect(textToCents(text)).toBe(cents));

    it.each(['', '12.345', 'abc', '1,50', '1.2.3'])('should refuse %p', (text) => expect(textToCents(text)).toBeNull());

    it('should show cents as a price to edit', () => expect(centsToText(1450)).toBe('14.50'));
  });

  describe('changes', () => {
    it('should publish only the changed, new and removed items', () => {
      let rows = rowsOf(menuSpec, menuState(burger, beer));
      expect(rows.some(isChanged)).toBe(false);
      rows = edit(rows, 'k:B1', { price: '9.50' });
      rows = rows.map((r) => (r.key === 'k:D1' ? { ...r, removed: true } : r));
      rows.push({ key: 'n:1', original: null, draft: { ...menuSpec.blank(), sku: 'S1', name: 'Fries', price: '3', category: 'Sides' }, removed: false });
      const changes = collectChanges(menuSpec, rows);
      expect(changes.errors).toEqual({});
      expect(menuSpec.payload(changes.upserts, changes.removals)).toEqual({
        items: [
          { ...burger, priceCents: 950 },
          { sku: 'S1', name: 'Fries', priceCents: 300, category: 'Sides', station: null, available: true },
        ],
        removeSkus: ['D1'],
      });
      expect(changes.upsertRows).toEqual(['k:B1', 'n:1']);
    });

    it('should put each error on its row and field, and a taken sku on the new row', () => {
      let rows = rowsOf(menuSpec, menuState(burger, beer));
      rows = edit(rows, 'k:B1', { price: '9.999', name: ' ' });
      rows.push({ key: 'n:1', original: null, draft: { ...menuSpec.blank(), sku: 'D1', name: 'Other beer', price: '5', category: 'Drinks' }, removed: false });
      const changes = collectChanges(menuSpec, rows);
      expect(changes.errors).toEqual({
        'k:B1': { price: 'must be a price like 12.50', name: 'must not be empty' },
        'n:1': { sku: "'D1' is used by another row" },
      });
      expect(changes.upserts).toEqual([]);
    });

    it('should not count an edit undone as a change', () => {
      const rows = edit(edit(rowsOf(menuSpec, menuState(burger)), 'k:B1', { price: '1' }), 'k:B1', { price: '9.00' });
      expect(rows.some(isChanged)).toBe(false);
    });
  });

  describe("the cloud's validation errors", () => {
    it('should map payload paths back to the rows that sent them, and keep the rest apart', () => {
      let rows = rowsOf(menuSpec, menuState(burger, beer));
      rows = edit(edit(rows, 'k:B1', { name: 'Big burger' }), 'k:D1', { name: 'Lager' });
      const changes = collectChanges(menuSpec, rows);
      const mapped = mapServerErrors(menuSpec, changes, rows, { 'items[1].priceCents': 'too high', 'items[0]': 'duplicate', removeSkus: 'bad' });
      expect(mapped).toEqual({ rows: { 'k:D1': { price: 'too high' }, 'k:B1': { sku: 'duplicate' } }, other: ['removeSkus: bad'] });
    });

    it('should map a setting key path to its value field', () => {
      const rows = edit(rowsOf(settingsSpec, { values: { 'tax.rate': 20 } }), 'k:tax.rate', { value: '21' });
      const changes = collectChanges(settingsSpec, rows);
      expect(settingsSpec.payload(changes.upserts, changes.removals)).toEqual({ values: { 'tax.rate': 21 } });
      expect(mapServerErrors(settingsSpec, changes, rows, { 'values.tax.rate': 'must be at most 100' }).rows).toEqual({
        'k:tax.rate': { value: 'must be at most 100' },
      });
    });
  });

  describe('rebase after someone else published', () => {
    it('should keep my edits, removals and new rows on top of their state', () => {
      let mine = rowsOf(menuSpec, menuState(burger, beer));
      mine = edit(mine, 'k:B1', { price: '9.50' });
      mine = mine.map((r) => (r.key === 'k:D1' ? { ...r, removed: true } : r));
      mine.push({ key: 'n:1', original: null, draft: { ...menuSpec.blank(), sku: 'S1', name: 'Fries', price: '3', category: 'Sides' }, removed: false });
      const theirs = menuState({ ...burger, name: 'Cheeseburger' }, beer, { ...beer, sku: 'W1', name: 'Wine' });
      const rebased = rebaseRows(menuSpec, mine, theirs);
      expect(rebased.map((r) => [r.key, r.removed, isChanged(r)])).toEqual([
        ['k:B1', false, true],
        ['k:D1', true, true],
        ['k:W1', false, false],
        ['n:1', false, true],
      ]);
      // My price change goes on top of their name change.
      expect(rebased[0]!.draft).toMatchObject({ price: '9.50', name: 'Cheeseburger' });
    });

    it('should bring back as new an item I edited that they removed', () => {
      const mine = edit(rowsOf(menuSpec, menuState(burger)), 'k:B1', { price: '9.50' });
      const rebased = rebaseRows(menuSpec, mine, menuState(beer));
      expect(rebased.map((r) => [r.key, r.original === null])).toEqual([
        ['k:D1', false],
        ['k:B1', true],
      ]);
    });
  });

  describe('settings warnings', () => {
    it.each([
      [{ key: 'store.currency', type: 'text', value: 'GBP' }, undefined],
      [{ key: 'store.currency', type: 'text', value: 'eur' }, undefined],
      [{ key: 'receipt.footer', type: 'text', value: 'pounds' }, undefined],
    ] as const)('should take %j as it is', (draft, expected) => {
      expect(settingWarning(draft)).toBe(expected);
    });

    it.each([
      [{ key: 'store.currency', type: 'text', value: 'pounds' }],
      [{ key: 'store.currency', type: 'text', value: '' }],
      [{ key: 'store.currency', type: 'number', value: '826' }],
      [{ key: ' store.currency ', type: 'text', value: 'XYZ' }],
    ] as const)('should warn that %j is no currency', (draft) => {
      expect(settingWarning(draft)).toBe('not an ISO 4217 currency code such as GBP: sales are shown without a currency');
    });
  });
});
