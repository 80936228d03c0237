import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeEvent, makeMenuItem, repoRoot, waitFor } from '@app/testing';
import { EventStoreService } from '../event-store/event-store.service.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { connectDevice, listenOnLoopback } from '../../test/hub-socket.js';
import type { CloudSigner } from '../../test/signed-commands.js';
import { trustedCloud } from '../../test/trusted-cloud.js';

describe('GET /status (edge)', () => {
  let edge: EdgeTestApp;
  let cloud: CloudSigner;

  beforeEach(async () => {
    edge = await startEdgeTestApp('status');
    cloud = await trustedCloud(edge);
  });

  afterEach(async () => {
    await edge.close();
  });

  it('should describe a fresh hub to anyone, without a token', async () => {
    const res = await request(edge.server).get('/status').expect(200);
    const version = (JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    expect(res.body).toEqual({
      realm: { tenantId: 't-demo', storeId: 's-001' },
      hubId: expect.any(String),
      softwareVersion: version,
      connectedDevices: 0,
      devices: [],
      latestSeq: 0,
      outboxDepth: 0,
      cloudCursor: 0,
      lastCloudSyncAt: null,
      appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 },
    });
  });

  it('should report connected devices, the log, the outbox and the applied revisions', async () => {
    const url = await listenOnLoopback(edge);
    const till = await connectDevice(url, cloud.token('device', 'till-1'), 'till-1');
    try {
      await request(edge.server)
        .post('/api/v1/commands/apply')
        .set('Authorization', `Bearer ${cloud.token('agent')}`)
        .send(cloud.command('MENU_SNAPSHOT', { items: [makeMenuItem({ station: null })] }, { revision: 4 }))
        .expect(200);
      const store = edge.app.get(EventStoreService);
      for (const id of ['o-1', 'o-2', 'o-3']) await store.append(makeEvent({ aggregateId: id }), { deviceId: 'till-1', role: 'device', origin: 'device' });
      await request(edge.server)
        .put('/api/v1/outbox/cursor')
        .set('Authorization', `Bearer ${cloud.token('agent')}`)
        .send({ cursor: 1 })
        .expect(200);
      const res = await request(edge.server).get('/status').expect(200);
      expect(res.body).toMatchObject({
        connectedDevices: 1,
        devices: [{ deviceId: 'till-1', role: 'device', connectedAt: expect.any(String) }],
        latestSeq: 3,
        outboxDepth: 2,
        cloudCursor: 1,
        lastCloudSyncAt: expect.any(String),
        appliedRevisions: { settings: 0, menu: 4, users: 0, roles: 0 },
      });
    } finally {
      till.disconnect();
    }
    await waitFor(async () => (await request(edge.server).get('/status')).body.connectedDevices === 0, { what: 'the device to leave' });
  });
});
