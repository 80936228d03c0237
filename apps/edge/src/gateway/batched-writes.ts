import type { Writable } from 'node:stream';

interface EngineTransport {
  name?: string;
  send?: (packets: unknown[]) => void;
  socket?: { _socket?: Writable };
  __batched?: boolean;
}

interface EngineConnection {
  transport?: EngineTransport;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): unknown;
}

/**
 * engine.io writes every packet of a flush as its own WebSocket frame, each a `write` (a syscall)
 * on the TCP socket. Corking the socket around the flush turns a burst of relays to one device
 * into one `writev`. Applied to websocket transports only, and re-applied after an upgrade; a
 * transport that does not look as expected is left alone.
 */
export function batchTransportWrites(connection: EngineConnection): void {
  wrap(connection.transport);
  connection.on('upgrade', (transport) => wrap(transport));
}

function wrap(transport: EngineTransport | undefined): void {
  if (!transport || transport.__batched || transport.name !== 'websocket' || typeof transport.send !== 'function') return;
  const tcp = transport.socket?._socket;
  if (!tcp || typeof tcp.cork !== 'function') return;
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
  transport.__batched = true;
}

/** The TCP socket under a websocket connection, for corking a group's relays; null otherwise. */
export function tcpSocketOf(connection: unknown): Writable | null {
  const tcp = (connection as { transport?: EngineTransport } | undefined)?.transport?.socket?._socket;
  return tcp && typeof tcp.cork === 'function' ? tcp : null;
}
