import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HUB_EVENTS, type AppendAck, type EventBase, type EventsBulk, type StoredEvent } from '@app/contracts';
import { DeviceStore, HubClient } from '@app/device-client';
import { createTempDir, makeEvent, waitFor, type TempDir } from '@app/testing';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { REALM, connectDevice, deviceToken, handshakeOutcome, rawSocket } from '../../test/hub-devices.js';

/** @app/device-client against the real hub: what tills and displays rely on. */
describe(HubClient.name, () => {
  let edge: EdgeTestApp;
  let url: string;
  let tmp: TempDir;
  const clients: HubClient[] = [];

  beforeEach(async () => {
    edge = await startEdgeTestApp('device-client');
    await edge.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(edge.app.getHttpServer().address() as AddressInfo).port}`;
    tmp = await createTempDir('device-client');
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await edge.close();
    await tmp.remove();
  });

  async function device(deviceId: string, storePath?: string): Promise<HubClient> {
    const c = await connectDevice(url, edge.clusterKeys.privateKey, deviceId, { storePath });
    clients.push(c);
    return c;
  }

  const till = (overrides: Parameters<typeof makeEvent>[0] = {}): EventBase => makeEvent({ actor: { deviceId: 'till-1' }, ...overrides });

  describe('append', () => {
    it('should report a final refusal through rejected, resolve with it and keep going', async () => {
      const c = await device('till-1');
      const rejected: [string, AppendAck][] = [];
      c.on('rejected', (event, ack) => rejected.push([event.eventId, ack]));
      const stale = till({ aggregateId: 'o-1', version: 2 });
      const [bad, good] = await Promise.all([c.append(stale), c.append(till({ aggregateId: 'o-2' }))]);
      expect(bad).toMatchObject({ ok: false, code: 'VERSION_CONFLICT', currentVersion: 0 });
      expect(good).toEqual({ ok: true, seq: 1 });
      expect(rejected).toEqual([[stale.eventId, bad]]);
      expect(c.outboxSize()).toBe(0);
    });

    it("should send one aggregate's versions in order with many in flight", async () => {
      const c = await device('till-1');
      const chain = [
        till({ aggregateId: 'o-1' }),
        ...Array.from({ length: 40 }, (_, i) => till({ aggregateId: 'o-1', type: 'order.updated', version: i + 2, payload: { items: [] } })),
      ];
      const acks = await Promise.all(chain.map((e) => c.append(e)));
      expect(acks.map((a) => a.ok && a.seq)).toEqual(chain.map((_, i) => i + 1));
    });
  });

  describe('catch-up', () => {
    it('should resume from its saved cursor after a restart, with no event twice', async () => {
      const storePath = path.join(tmp.path, 'kds.sqlite');
      const writer = await device('till-1');
      for (let i = 0; i < 5; i += 1) await writer.append(till({ aggregateId: `a-${i}` }));
      const first = await device('kds-1', storePath);
      expect(first.cursor).toBe(5);
      first.close();
      for (let i = 0; i < 3; i += 1) await writer.append(till({ aggregateId: `b-${i}` }));

      const again = new HubClient({ url, token: deviceToken(edge.clusterKeys.privateKey, 'kds-1'), deviceId: 'kds-1', ...REALM, storePath });
      clients.push(again);
      const seen: number[] = [];
      again.on('event', (e) => seen.push(e.seq));
      await again.connect();
      await again.waitCaughtUp();
      expect(seen).toEqual([6, 7, 8]);
    });

    it('should start over when its cursor is ahead of the hub (another or a reset hub)', async () => {
      const storePath = path.join(tmp.path, 'kds.sqlite');
      const store = new DeviceStore(storePath);
      store.saveCursor(999);
      store.close();
      const writer = await device('till-1');
      await writer.append(till());
      const c = new HubClient({ url, token: deviceToken(edge.clusterKeys.privateKey, 'kds-1'), deviceId: 'kds-1', ...REALM, storePath });
      clients.push(c);
      const seen: StoredEvent[] = [];
      c.on('event', (e) => seen.push(e));
      expect(await c.connect()).toMatchObject({ snapshotNeeded: true, cursor: 1 });
      await waitFor(() => seen.length === 1);
      expect(c.cursor).toBe(1);
    });

    it('should be answered from a Lamport time when a device asks for it', async () => {
      const writer = await device('till-1');
      for (const lamport of [1, 5, 9, 12]) await writer.append(till({ aggregateId: `o-${lamport}`, clock: { lamport, deviceId: 'till-1' } }));
      const socket = rawSocket(url, deviceToken(edge.clusterKeys.privateKey, 'kds-1'));
      try {
        expect(await handshakeOutcome(socket)).toBe('connected');
        const page = new Promise<EventsBulk>((resolve) => socket.once(HUB_EVENTS.eventsBulk, resolve));
        socket.emit(HUB_EVENTS.cursorRequest, { fromLamport: 9 });
        expect((await page).events.map((e) => e.clock.lamport)).toEqual([9, 12]);
        const none = new Promise<EventsBulk>((resolve) => socket.once(HUB_EVENTS.eventsBulk, resolve));
        socket.emit(HUB_EVENTS.cursorRequest, { fromLamport: 100 });
        expect(await none).toEqual({ events: [], nextCursor: 4, hasMore: false });
      } finally {
        socket.disconnect();
      }
    });
  });

  describe('connect', () => {
    it('should reject when the hub refuses the token', async () => {
      const c = new HubClient({ url, token: deviceToken(edge.clusterKeys.privateKey, 'till-1', { storeId: 's-999' }), deviceId: 'till-1', ...REALM });
      clients.push(c);
      await expect(c.connect()).rejects.toThrow('realm_mismatch');
    });
  });
});
