import type { OrderItem } from '@app/contracts';

/** The identity of an order line across updates: its lineId, else what it is. */
function lineKey(item: OrderItem): string {
  return item.lineId ?? JSON.stringify([item.sku, item.modifiers ?? [], item.note ?? '', item.station ?? null]);
}

/**
 * What an order update adds to the order: new lines, and more of an existing line. These are what
 * goes to the kitchen and the bar; a line removed or reduced sends nothing (a void is not a ticket).
 */
export function addedItems(before: readonly OrderItem[], after: readonly OrderItem[]): OrderItem[] {
  const had = new Map<string, number>();
  for (const item of before) had.set(lineKey(item), (had.get(lineKey(item)) ?? 0) + item.qty);
  const added: OrderItem[] = [];
  for (const item of after) {
    const key = lineKey(item);
    const previous = had.get(key) ?? 0;
    if (item.qty > previous) added.push({ ...item, qty: item.qty - previous });
    had.set(key, Math.max(0, previous - item.qty));
  }
  return added;
}
