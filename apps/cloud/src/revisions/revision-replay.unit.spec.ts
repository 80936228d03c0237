import { isCheckpoint, replayRevisions } from './revision-replay.js';

describe('replayRevisions', () => {
  it('should apply each patch after the checkpoint, as publish did', () => {
    const state = replayRevisions('settings', { revision: 50, state: { values: { 'tax.rate': 20, 'receipt.footer': 'Thanks' } } }, [
      { revision: 51, commandType: 'SETTINGS_PATCH', payload: { values: { 'receipt.footer': null, 'tables.count': 12 } } },
      { revision: 52, commandType: 'SETTINGS_PATCH', payload: { values: { 'tax.rate': 21 } } },
    ]);
    expect(state).toEqual({ values: { 'tables.count': 12, 'tax.rate': 21 } });
  });

  it('should start from the empty state when there is no checkpoint before the revision', () => {
    expect(
      replayRevisions('roles', null, [
        { revision: 1, commandType: 'ROLE_PERMISSIONS_PATCH', payload: { roles: [{ roleId: 'lead', name: 'Shift lead', permissions: ['orders.void'] }] } },
      ]),
    ).toEqual({
      roles: [{ roleId: 'lead', name: 'Shift lead', permissions: ['orders.void'] }],
    });
    expect(replayRevisions('menu', null, [])).toEqual({ items: [] });
  });

  it('should refuse a history with a revision missing rather than guess the state', () => {
    expect(() =>
      replayRevisions('settings', { revision: 50, state: { values: {} } }, [{ revision: 52, commandType: 'SETTINGS_PATCH', payload: { values: { a: 1 } } }]),
    ).toThrow('settings revision 51 is missing from the history (next stored: 52)');
  });

  it('should refuse a stored patch that no longer validates, naming the field', () => {
    expect(() => replayRevisions('menu', null, [{ revision: 1, commandType: 'MENU_UPSERT_BATCH', payload: { items: [{ sku: 'A' }] } }])).toThrow(
      /menu revision 1 no longer validates: payload\.items\[0\]\.name/,
    );
  });
});

describe('isCheckpoint', () => {
  it('should keep every interval-th revision', () => {
    expect([49, 50, 51, 100].map((r) => isCheckpoint(r, 50))).toEqual([false, true, false, true]);
    expect([1, 2, 3].every((r) => isCheckpoint(r, 1))).toBe(true);
  });
});
