import type { MenuItem } from '@app/contracts';
import { applyCommandToState, emptyDomainState, type ApplyRules, type DomainStates } from './domain-state.js';

const burger: MenuItem = { sku: 'B1', name: 'Burger', priceCents: 900, category: 'Mains', station: 'kitchen', available: true };
const beer: MenuItem = { sku: 'D1', name: 'Beer', priceCents: 500, category: 'Drinks', station: 'bar', available: true };

describe('applyCommandToState', () => {
  describe('SETTINGS_PATCH', () => {
    it('should set keys, remove keys patched to null and keep the rest', () => {
      const given: DomainStates['settings'] = { values: { currency: 'EUR', tax: 20, old: true } };
      const then = applyCommandToState('SETTINGS_PATCH', given, { values: { tax: 21, old: null, receiptFooter: 'Thanks' } });
      expect(then).toEqual({ values: { currency: 'EUR', receiptFooter: 'Thanks', tax: 21 } });
      expect(given.values.old).toBe(true);
    });
  });

  describe('MENU_UPSERT_BATCH', () => {
    it('should add new items, replace existing ones by sku and remove listed skus', () => {
      const given: DomainStates['menu'] = { items: [burger, beer] };
      const then = applyCommandToState('MENU_UPSERT_BATCH', given, {
        items: [
          { ...burger, priceCents: 1000 },
          { ...beer, sku: 'A0', name: 'Water' },
        ],
        removeSkus: ['D1'],
      }) as DomainStates['menu'];
      expect(then.items.map((i) => [i.sku, i.priceCents])).toEqual([
        ['A0', 500],
        ['B1', 1000],
      ]);
    });
  });

  describe('snapshots', () => {
    it('should replace the whole domain whatever was there', () => {
      const given: DomainStates['menu'] = { items: [burger] };
      expect(applyCommandToState('MENU_SNAPSHOT', given, { items: [beer] })).toEqual({ items: [beer] });
      expect(applyCommandToState('SETTINGS_SNAPSHOT', { values: { a: 1 } }, { values: { b: 2 } })).toEqual({ values: { b: 2 } });
      expect(applyCommandToState('USERS_SNAPSHOT', emptyDomainState('users'), { users: [] })).toEqual({ users: [] });
      expect(applyCommandToState('ROLES_SNAPSHOT', { roles: [{ roleId: 'r', name: 'R', permissions: [] }] }, { roles: [] })).toEqual({ roles: [] });
    });
  });

  describe('USER_UPSERT and ROLE_PERMISSIONS_PATCH', () => {
    it('should upsert users by id and roles by id, removing listed roles', () => {
      const users = applyCommandToState(
        'USER_UPSERT',
        { users: [{ userId: 'u2', displayName: 'Bo', roleIds: [], active: true }] },
        {
          users: [{ userId: 'u1', displayName: 'Al', roleIds: ['cashier'], active: true }],
        },
      ) as DomainStates['users'];
      expect(users.users.map((u) => u.userId)).toEqual(['u1', 'u2']);
      const roles = applyCommandToState(
        'ROLE_PERMISSIONS_PATCH',
        { roles: [{ roleId: 'old', name: 'Old', permissions: [] }] },
        {
          roles: [{ roleId: 'cashier', name: 'Cashier', permissions: ['orders.create'] }],
          removeRoleIds: ['old'],
        },
      ) as DomainStates['roles'];
      expect(roles).toEqual({ roles: [{ roleId: 'cashier', name: 'Cashier', permissions: ['orders.create'] }] });
    });
  });
});

describe('the apply rules', () => {
  it('should be required for every command type of the registry (a missing rule does not compile)', () => {
    const rules = { SETTINGS_PATCH: (s: DomainStates['settings']) => s };
    // @ts-expect-error: a record of rules without every command type of the registry is refused by the compiler
    const incomplete: ApplyRules = rules;
    expect(Object.keys(incomplete)).toEqual(['SETTINGS_PATCH']);
  });

  it('should start every domain from its registered empty state, a fresh copy each time', () => {
    const menu = emptyDomainState('menu');
    menu.items.push(burger);
    expect(emptyDomainState('menu')).toEqual({ items: [] });
    expect(emptyDomainState('settings')).toEqual({ values: {} });
  });
});
