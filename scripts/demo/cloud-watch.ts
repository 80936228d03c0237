import type { CloudEventsPage, CommandListResponse } from '@app/contracts';

/**
 * Watches the demo store from the cloud's side, as an operator would: what arrives from the store
 * (orders paid, tickets done) and the commands the store acknowledged. Prints a line for each.
 */
export class CloudWatch {
  private timer: NodeJS.Timeout | null = null;
  private cursor = 0;
  private readonly seenCommands = new Set<string>();
  private busy = false;

  constructor(
    private readonly cloudUrl: string,
    private readonly token: string,
    private readonly storeId: string,
    private readonly say: (line: string) => void,
  ) {}

  async start(intervalMs: number): Promise<void> {
    // Start from now: the demo tells what happens while it runs.
    for (;;) {
      const page = await this.get<CloudEventsPage>(`/api/v1/stores/${this.storeId}/events?after=${this.cursor}&limit=1000`);
      if (page.events.length === 0) break;
      this.cursor = page.nextCursor;
    }
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      void this.poll()
        .catch(() => undefined) // the cloud may be restarting: the next round tells
        .finally(() => (this.busy = false));
    }, intervalMs);
  }

  private async poll(): Promise<void> {
    const page = await this.get<CloudEventsPage>(`/api/v1/stores/${this.storeId}/events?after=${this.cursor}&limit=1000`);
    for (const event of page.events) {
      if (event.type === 'order.paid')
        this.say(
          `order paid ${((event.payload as { totalCents: number }).totalCents / 100).toFixed(2)} arrived from the store (hub seq ` +
            `${event.hubSeq}, cloud seq ${event.cloudSeq})`,
        );
      else if (event.type === 'kds.ticket.done') this.say(`kitchen ticket done arrived from the store (hub seq ${event.hubSeq})`);
    }
    if (page.events.length > 0) this.cursor = page.nextCursor;
    const commands = await this.get<CommandListResponse>(`/api/v1/stores/${this.storeId}/commands?status=ACKED`);
    for (const command of commands.commands.reverse()) {
      if (this.seenCommands.has(command.commandId)) continue;
      this.seenCommands.add(command.commandId);
      this.say(`${command.type} of ${command.domain} revision ${command.revision} is ACKED by the store (applied revision ${command.appliedRevision})`);
    }
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.cloudUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    return (await res.json()) as T;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
