import { uuidv7, type EventBase, type MenuItem, type MenuStateResponse, type StoredEvent } from '@app/contracts';
import { HubClient } from '@app/device-client';

export interface DeviceSetup {
  edgeUrl: string;
  tenantId: string;
  storeId: string;
  token: string;
  say: (line: string) => void;
}

/** A device's side of the Lamport clock: one past the highest it has seen. */
class Clock {
  private value = 0;
  seen(event: StoredEvent): void {
    this.value = Math.max(this.value, event.clock.lamport);
  }
  tick(): number {
    return ++this.value;
  }
}

function eventOf(
  setup: DeviceSetup,
  deviceId: string,
  clock: Clock,
  fields: Pick<EventBase, 'aggregateType' | 'aggregateId' | 'version' | 'type' | 'payload'>,
): EventBase {
  return {
    eventId: uuidv7(),
    tenantId: setup.tenantId,
    storeId: setup.storeId,
    at: new Date().toISOString(),
    actor: { deviceId },
    clock: { lamport: clock.tick(), deviceId },
    ...fields,
  };
}

const euros = (cents: number) => (cents / 100).toFixed(2);

/**
 * The demo's till: every `intervalMs` it places an order from the hub's current menu (created,
 * then paid; the hub makes the kitchen and bar tickets), and says when the menu changes under it.
 */
export class DemoTill {
  readonly deviceId = 'till-1';
  private readonly client: HubClient;
  private readonly clock = new Clock();
  private timer: NodeJS.Timeout | null = null;
  private orders = 0;
  private menu: MenuItem[] = [];

  constructor(private readonly setup: DeviceSetup) {
    this.client = new HubClient({ url: setup.edgeUrl, token: setup.token, deviceId: this.deviceId, tenantId: setup.tenantId, storeId: setup.storeId });
    this.client.on('event', (event) => this.clock.seen(event));
    this.client.on('state.changed', (change) => {
      setup.say(`${change.domain} is now at revision ${change.revision} (pushed by the hub)`);
      if (change.domain === 'menu') void this.loadMenu();
    });
    this.client.on('rejected', (event, ack) => setup.say(`the hub refused ${event.type}: ${ack.code} ${ack.message}`));
  }

  async start(intervalMs: number): Promise<void> {
    await this.client.connect();
    await this.client.waitCaughtUp();
    await this.loadMenu();
    this.timer = setInterval(
      () => void this.placeOrder().catch((e: unknown) => this.setup.say(`could not place an order: ${(e as Error).message}`)),
      intervalMs,
    );
  }

  private async loadMenu(): Promise<void> {
    const res = await fetch(`${this.setup.edgeUrl}/api/v1/menu`, { headers: { authorization: `Bearer ${this.setup.token}` } });
    if (!res.ok) return;
    const menu = (await res.json()) as MenuStateResponse;
    this.menu = menu.items.filter((i) => i.available);
  }

  private async placeOrder(): Promise<void> {
    if (this.menu.length === 0) return; // nothing to sell until the first menu has arrived
    this.orders += 1;
    const number = this.orders;
    const orderId = `order-${uuidv7().slice(-12)}`;
    const picks = [this.menu[number % this.menu.length]!, this.menu[(number * 7 + 3) % this.menu.length]!];
    const items = picks.map((item, i) => ({
      sku: item.sku,
      name: item.name,
      qty: i + 1,
      priceCents: item.priceCents,
      ...(item.station ? { station: item.station } : {}),
    }));
    const total = items.reduce((sum, i) => sum + i.qty * i.priceCents, 0);
    const created = await this.client.append(
      eventOf(this.setup, this.deviceId, this.clock, {
        aggregateType: 'order',
        aggregateId: orderId,
        version: 1,
        type: 'order.created',
        payload: { items, note: `demo order ${number}` },
      }),
    );
    // The hub routes the kitchen and bar items to their stations' tickets itself.
    await this.client.append(
      eventOf(this.setup, this.deviceId, this.clock, {
        aggregateType: 'order',
        aggregateId: orderId,
        version: 2,
        type: 'order.paid',
        payload: { totalCents: total, method: 'card' },
      }),
    );
    const lines = items.map((i) => `${i.qty} x ${i.name}`).join(', ');
    this.setup.say(`order ${number} placed and paid ${euros(total)}: ${lines}${created.ok ? ` (hub seq ${created.seq})` : ''}`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.client.close();
  }
}

/** The demo's kitchen display: acknowledges each new kitchen ticket, and marks it done a moment later. */
export class DemoKitchen {
  readonly deviceId = 'kds-1';
  private readonly client: HubClient;
  private readonly clock = new Clock();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cooked = new Set<string>();
  private live = false;

  constructor(
    private readonly setup: DeviceSetup,
    private readonly cookMs: number,
  ) {
    this.client = new HubClient({ url: setup.edgeUrl, token: setup.token, deviceId: this.deviceId, tenantId: setup.tenantId, storeId: setup.storeId });
    this.client.on('event', (event, source) => {
      this.clock.seen(event);
      // Tickets from before the display started are history, not work; each ticket is cooked once.
      if (this.live && source === 'relay' && event.type === 'kds.ticket.created' && !this.cooked.has(event.aggregateId)) {
        this.cooked.add(event.aggregateId);
        this.cook(event);
      }
    });
  }

  async start(): Promise<void> {
    await this.client.connect();
    await this.client.waitCaughtUp();
    this.live = true;
  }

  private cook(ticket: StoredEvent): void {
    const { orderId, items } = ticket.payload as { orderId: string; items: { name?: string; sku: string; qty: number }[] };
    const what = items.map((i) => `${i.qty} x ${i.name ?? i.sku}`).join(', ');
    const step = (version: number, type: 'kds.ticket.ack' | 'kds.ticket.done') =>
      this.client.append(eventOf(this.setup, this.deviceId, this.clock, { aggregateType: 'kds', aggregateId: ticket.aggregateId, version, type, payload: {} }));
    void step(2, 'kds.ticket.ack').then(() => this.setup.say(`cooking ${what} (${orderId})`));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void step(3, 'kds.ticket.done').then((ack) => this.setup.say(`ticket done: ${what}${ack.ok ? ` (hub seq ${ack.seq})` : ''}`));
    }, this.cookMs);
    this.timers.add(timer);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.client.close();
  }
}
