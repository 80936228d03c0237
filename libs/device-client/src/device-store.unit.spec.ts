import path from 'node:path';
import { createTempDir, makeEvent, type TempDir } from '@app/testing';
import { DeviceStore } from './device-store.js';

describe(DeviceStore.name, () => {
  let tmp: TempDir;

  beforeEach(async () => {
    tmp = await createTempDir('device-store');
  });

  afterEach(async () => {
    await tmp.remove();
  });

  it('should keep the outbox in order, once per eventId, and the cursor, across a reopen', () => {
    const file = path.join(tmp.path, 'nested', 'till.sqlite');
    const store = new DeviceStore(file);
    const events = [makeEvent({ aggregateId: 'a' }), makeEvent({ aggregateId: 'b' }), makeEvent({ aggregateId: 'c' })];
    const ids = events.map((e) => store.enqueue(e));
    expect(store.enqueue(events[1]!)).toBe(ids[1]);
    store.remove(ids[0]!);
    store.saveCursor(42);
    store.saveHubId('hub-1');
    store.close();

    const reopened = new DeviceStore(file);
    expect(reopened.pending().map((p) => p.event)).toEqual([events[1], events[2]]);
    expect(reopened.outboxSize()).toBe(2);
    expect(reopened.cursor()).toBe(42);
    expect(reopened.hubId()).toBe('hub-1');
    reopened.close();
  });

  it('should start empty in memory', () => {
    const store = new DeviceStore(':memory:');
    expect([store.outboxSize(), store.cursor(), store.hubId()]).toEqual([0, 0, null]);
    store.close();
  });
});
