import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { HUB_EVENTS, type HelloAck } from '@app/contracts';
import type { EdgeTestApp } from './edge-test-app.js';

/** Makes the test app listen on a free loopback port (Socket.IO needs a real one); returns its URL. */
export async function listenOnLoopback(edge: EdgeTestApp): Promise<string> {
  await edge.app.listen(0, '127.0.0.1');
  const { port } = edge.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A device connected with its token and past `hello`: it is in the realm's room. */
export async function connectDevice(url: string, token: string, deviceId: string, realm = { tenantId: 't-demo', storeId: 's-001' }): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  await new Promise<HelloAck>((resolve) => {
    socket.once(HUB_EVENTS.helloAck, resolve);
    socket.emit(HUB_EVENTS.hello, { deviceId, ...realm, cursor: 0 });
  });
  return socket;
}

/** Collects every message of one event name a socket receives. */
export function collect<T>(socket: Socket, event: string): T[] {
  const received: T[] = [];
  socket.on(event, (message: T) => received.push(message));
  return received;
}
