import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { DeviceBacklog } from './device-backlog.js';

/** How often a waiting page looks whether the previous one has drained. */
const POLL_MS = 20;

type SendPage = (socket: Socket, afterSeq: number) => void;

/**
 * Paces catch-up: a device gets its next page only once the previous one has drained (gone to
 * the kernel). A page asked for before that waits, one per connection: asking again replaces the
 * cursor it waits with. So a device that asks for pages and does not read them costs the hub one
 * page and one cursor, whatever the rate it asks at.
 */
@Injectable()
export class CatchUpPacer implements OnModuleDestroy {
  private readonly waiting = new Map<string, { socket: Socket; afterSeq: number; send: SendPage }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly backlog: DeviceBacklog) {}

  /** Sends the page after `afterSeq` now if the device has read the previous one, else once it has. */
  request(socket: Socket, afterSeq: number, send: SendPage): void {
    if (!this.waiting.has(socket.id) && this.backlog.drained(socket)) return send(socket, afterSeq);
    this.waiting.set(socket.id, { socket, afterSeq, send });
    this.timer ??= setInterval(() => this.poll(), POLL_MS).unref();
  }

  forget(socketId: string): void {
    this.waiting.delete(socketId);
  }

  onModuleDestroy(): void {
    this.waiting.clear();
    this.stop();
  }

  private poll(): void {
    for (const [id, { socket, afterSeq, send }] of this.waiting) {
      if (!socket.connected) this.waiting.delete(id);
      else if (this.backlog.drained(socket)) {
        this.waiting.delete(id);
        send(socket, afterSeq);
      }
    }
    if (this.waiting.size === 0) this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
