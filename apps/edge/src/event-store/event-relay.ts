import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@app/contracts';

/** Delivers committed events to the connected devices; the gateway registers itself as the sink. */
export type RelaySink = (event: StoredEvent, exceptSocketId: string | undefined) => void;

/**
 * The seam between the event store and the Socket.IO gateway: the store announces every committed
 * event here, the gateway delivers it. Keeps the store free of any socket code and the modules free
 * of a cycle.
 */
@Injectable()
export class EventRelay {
  private sink: RelaySink | null = null;

  attach(sink: RelaySink): void {
    this.sink = sink;
  }

  detach(): void {
    this.sink = null;
  }

  relay(event: StoredEvent, exceptSocketId?: string): void {
    this.sink?.(event, exceptSocketId);
  }
}
