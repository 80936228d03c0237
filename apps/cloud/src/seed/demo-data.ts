import type { MenuItem, SettingsValues, StoreRole, StoreUser } from '@app/contracts';

/** The demo store's first revisions: a small restaurant with a kitchen and a bar. */
export const DEMO_SETTINGS: SettingsValues = {
  'store.displayName': 'Main Street Kitchen & Bar',
  'store.currency': 'GBP',
  'tax.includedInPrices': true,
  'tax.defaultRatePercent': 20,
  'receipt.footer': 'Thank you for visiting Main Street!',
  'service.chargePercent': 12.5,
  'kds.bumpAfterMinutes': 20,
  'tables.count': 24,
};

const kitchen = (sku: string, name: string, priceCents: number, category: string, modifiers?: MenuItem['modifiers']): MenuItem => ({
  sku,
  name,
  priceCents,
  category,
  station: 'kitchen',
  available: true,
  ...(modifiers ? { modifiers } : {}),
});
const bar = (sku: string, name: string, priceCents: number, category: string): MenuItem => ({
  sku,
  name,
  priceCents,
  category,
  station: 'bar',
  available: true,
});

export const DEMO_MENU: MenuItem[] = [
  kitchen('STARTER-SOUP', 'Soup of the day', 650, 'Starters'),
  kitchen('STARTER-CALAMARI', 'Salt & pepper calamari', 850, 'Starters'),
  kitchen('STARTER-WINGS', 'Buffalo wings', 795, 'Starters', [
    { name: 'Extra hot', priceCents: 0 },
    { name: 'Blue cheese dip', priceCents: 100 },
  ]),
  kitchen('MAIN-BURGER', 'Classic cheeseburger', 1450, 'Mains', [
    { name: 'Add bacon', priceCents: 150 },
    { name: 'Gluten-free bun', priceCents: 100 },
  ]),
  kitchen('MAIN-FISH', 'Beer-battered fish & chips', 1595, 'Mains'),
  kitchen('MAIN-RISOTTO', 'Wild mushroom risotto', 1395, 'Mains'),
  kitchen('MAIN-STEAK', '8oz sirloin steak', 2450, 'Mains', [
    { name: 'Peppercorn sauce', priceCents: 250 },
    { name: 'Béarnaise', priceCents: 250 },
  ]),
  kitchen('SIDE-FRIES', 'Skin-on fries', 395, 'Sides'),
  kitchen('SIDE-SALAD', 'House salad', 425, 'Sides'),
  kitchen('DESSERT-BROWNIE', 'Chocolate brownie', 695, 'Desserts'),
  kitchen('DESSERT-CHEESECAKE', 'Baked vanilla cheesecake', 725, 'Desserts'),
  bar('DRINK-LAGER-PINT', 'House lager (pint)', 595, 'Beer'),
  bar('DRINK-IPA-PINT', 'Session IPA (pint)', 625, 'Beer'),
  bar('DRINK-HOUSE-RED', 'House red (175ml)', 725, 'Wine'),
  bar('DRINK-HOUSE-WHITE', 'House white (175ml)', 725, 'Wine'),
  bar('DRINK-GIN-TONIC', 'Gin & tonic', 850, 'Cocktails'),
  bar('DRINK-ESPRESSO-MARTINI', 'Espresso martini', 1050, 'Cocktails'),
  bar('DRINK-COLA', 'Cola', 325, 'Soft drinks'),
  bar('DRINK-LEMONADE', 'Homemade lemonade', 375, 'Soft drinks'),
  { sku: 'DRINK-FLAT-WHITE', name: 'Flat white', priceCents: 350, category: 'Coffee', station: null, available: true },
];

export const DEMO_ROLES: StoreRole[] = [
  { roleId: 'manager', name: 'Manager', permissions: ['orders.*', 'payments.*', 'refunds.create', 'reports.read', 'menu.availability', 'users.read'] },
  { roleId: 'server', name: 'Server', permissions: ['orders.create', 'orders.update', 'orders.park', 'payments.capture'] },
  { roleId: 'bartender', name: 'Bartender', permissions: ['orders.create', 'orders.update', 'payments.capture', 'bds.tickets'] },
  { roleId: 'kitchen', name: 'Kitchen', permissions: ['kds.tickets'] },
];

/** Store users sign in on the tills with a PIN; only its hash travels (demo PINs: see DEMO_USER_PINS). */
export const DEMO_USERS: Omit<StoreUser, 'pinHash'>[] = [
  { userId: 'u-alex', displayName: 'Alex (manager)', roleIds: ['manager'], active: true },
  { userId: 'u-sam', displayName: 'Sam (server)', roleIds: ['server'], active: true },
  { userId: 'u-jo', displayName: 'Jo (bar)', roleIds: ['bartender'], active: true },
  { userId: 'u-kim', displayName: 'Kim (kitchen)', roleIds: ['kitchen'], active: true },
];

export const DEMO_USER_PINS: Record<string, string> = { 'u-alex': '1111', 'u-sam': '2222', 'u-jo': '3333', 'u-kim': '4444' };
