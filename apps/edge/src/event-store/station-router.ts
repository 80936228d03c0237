import type { Station } from '@app/contracts';

/**
 * Where a menu item is prepared, from the store's current menu. The state module may provide it
 * under STATION_ROUTER (in a global module); without it, or for a SKU the menu does not know
 * (`undefined`), the hub routes by the order item's own `station` field. `null` means the item is
 * not prepared at any station (a bottled drink, a dessert from the counter).
 */
export interface StationRouter {
  stationOf(sku: string): Station | null | undefined;
}

export const STATION_ROUTER = Symbol('STATION_ROUTER');
