import { tcpSocketOf } from './batched-writes.js';

/** What the hub holds for one connection because the device has not read it yet. */
export interface SocketBacklog {
  /** Packets engine.io keeps while the transport is still writing the previous ones. */
  packets: number;
  /** Their bytes, plus what the TCP socket holds in user space (the kernel took none of it yet). */
  bytes: number;
}

interface EnginePacket {
  data?: unknown;
  options?: { wsPreEncodedFrame?: unknown };
}

/**
 * The backlog of one engine.io connection. A device that stops reading fills the kernel's buffers
 * first; the TCP socket then keeps the write in progress, the websocket transport stays not
 * writable, and every later packet waits in engine.io's writeBuffer: the two together are what
 * the hub's memory pays for that device. Strings count as one byte a character (a lower bound for
 * non-ASCII, plenty for a bound).
 */
export function backlogOf(connection: unknown): SocketBacklog {
  const buffer = (connection as { writeBuffer?: unknown } | undefined)?.writeBuffer;
  let packets = 0;
  let bytes = 0;
  if (Array.isArray(buffer)) {
    packets = buffer.length;
    for (const packet of buffer as EnginePacket[]) bytes += sizeOf(packet?.data);
  }
  const tcp = tcpSocketOf(connection) as { writableLength?: number } | null;
  bytes += tcp?.writableLength ?? 0;
  return { packets, bytes };
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (Buffer.isBuffer(data) || data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}
