import { addedItems } from './order-items.js';

describe('addedItems', () => {
  it('should give every line of a new order', () => {
    expect(addedItems([], [{ sku: 'B1', qty: 2 }])).toEqual([{ sku: 'B1', qty: 2 }]);
  });

  it('should give only new lines and the extra quantity of existing ones', () => {
    const before = [
      { lineId: 'l1', sku: 'B1', qty: 1 },
      { lineId: 'l2', sku: 'F1', qty: 2 },
    ];
    const after = [
      { lineId: 'l1', sku: 'B1', qty: 1 },
      { lineId: 'l2', sku: 'F1', qty: 3 },
      { lineId: 'l3', sku: 'W1', qty: 1 },
    ];
    expect(addedItems(before, after)).toEqual([
      { lineId: 'l2', sku: 'F1', qty: 1 },
      { lineId: 'l3', sku: 'W1', qty: 1 },
    ]);
  });

  it('should send nothing for a removed or reduced line', () => {
    expect(
      addedItems(
        [
          { sku: 'B1', qty: 3 },
          { sku: 'F1', qty: 1 },
        ],
        [{ sku: 'B1', qty: 1 }],
      ),
    ).toEqual([]);
  });

  it('should tell lines without ids apart by modifiers', () => {
    expect(
      addedItems(
        [{ sku: 'B1', qty: 1 }],
        [
          { sku: 'B1', qty: 1 },
          { sku: 'B1', qty: 1, modifiers: ['no onion'] },
        ],
      ),
    ).toEqual([{ sku: 'B1', qty: 1, modifiers: ['no onion'] }]);
  });
});
