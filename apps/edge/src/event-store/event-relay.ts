import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@app/contracts';

/** A committed event, and the connection it came through (which the relay skips). */
export interface Committed {
  event: StoredEvent;
  exceptSocketId: string | undefined;
}

/** Delivers the events of one group commit, in seq order; the gateway registers itself as the sink. */
export type RelaySink = (batch: readonly Committed[]) => void;

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

  relay(batch: readonly Committed[]): void {
    if (batch.length > 0) this.sink?.(batch);
  }
}
