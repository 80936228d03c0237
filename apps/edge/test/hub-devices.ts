import type { KeyObject } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ClusterRole } from '@app/contracts';
import { signClusterToken } from '@app/crypto';
import { HubClient, type HubClientOptions } from '@app/device-client';

export const REALM = { tenantId: 't-demo', storeId: 's-001' } as const;

/** A cluster token as the cloud issues it, for this test's realm unless told otherwise. */
export function deviceToken(
  privateKey: KeyObject,
  deviceId: string,
  options: { role?: ClusterRole; tenantId?: string; storeId?: string; ttlSeconds?: number; now?: number } = {},
): string {
  return signClusterToken(
    { sub: deviceId, tenantId: options.tenantId ?? REALM.tenantId, storeId: options.storeId ?? REALM.storeId, role: options.role ?? 'device' },
    privateKey,
    options.ttlSeconds ?? 3600,
    options.now,
  );
}

/** A raw socket.io client (no library in between), for protocol-level tests. */
export function rawSocket(url: string, token: unknown): Socket {
  return io(url, { transports: ['websocket'], reconnection: false, auth: token === undefined ? {} : { token } });
}

/** Resolves with the connect_error message, or 'connected'. */
export function handshakeOutcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

/** A connected HubClient for `deviceId`; closed by the caller. */
export async function connectDevice(url: string, privateKey: KeyObject, deviceId: string, options: Partial<HubClientOptions> = {}): Promise<HubClient> {
  const client = new HubClient({ url, token: deviceToken(privateKey, deviceId), deviceId, ...REALM, ...options });
  await client.connect();
  await client.waitCaughtUp();
  return client;
}
