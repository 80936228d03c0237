import { makeEvent, makeMenuItem, metricSample as sample, metricTypes, promtoolCheckMetrics } from '@app/testing';
import { CloudApi, pollCommands, registerNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { CloudMetrics } from './cloud-metrics.js';

describe(CloudMetrics.name, () => {
  let cloud: CloudTestApp;

  beforeAll(async () => {
    cloud = await startCloudTestApp('metrics');
  });

  afterAll(async () => {
    await cloud.close();
  });

  it('should expose commands by state, ingested events, long-poll waiters and the defaults to Prometheus', async () => {
    const make = new CloudFactories(cloud.app);
    const anyone = new CloudApi(cloud.server);
    const tenant = await make.tenant();
    const admin = anyone.as((await make.operatorWithToken(tenant)).token);
    const store = await make.store(tenant);
    const node = await registerNode(anyone, admin, store.id);
    await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem()] } }).expect(201);
    await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'settings', payload: { values: { a: 1 } } }).expect(201);
    await pollCommands(node.api, 0);
    await admin.post(`/api/v1/stores/${store.id}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem({ sku: 'X' })] } }).expect(201);
    const event = makeEvent({ tenantId: tenant.id, storeId: store.id });
    await node.api.post('/api/v1/events/ingest', { events: [event, event, makeEvent()] }).expect(200);

    const res = await anyone.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(sample(text, 'pos_cloud_commands', { status: 'DELIVERED' })).toBe(2);
    expect(sample(text, 'pos_cloud_commands', { status: 'PENDING' })).toBe(1);
    expect(sample(text, 'pos_cloud_commands', { status: 'DEAD_LETTER' })).toBe(0);
    expect(sample(text, 'pos_cloud_ingested_events_total', { result: 'accepted', origin: 'hub' })).toBe(1);
    expect(sample(text, 'pos_cloud_ingested_events_total', { result: 'duplicate', origin: 'hub' })).toBe(1);
    expect(sample(text, 'pos_cloud_ingested_events_total', { result: 'rejected', origin: 'hub' })).toBe(1);
    expect(sample(text, 'pos_cloud_long_poll_waiters')).toBe(0);
    expect(sample(text, 'pos_cloud_command_transitions_total', { event: 'DELIVERED', status: 'DELIVERED' })).toBe(2);
    expect(sample(text, 'pos_cloud_process_cpu_user_seconds_total')).toBeGreaterThan(0);

    // Prometheus's own linter, on the very text a scrape gets after that traffic.
    expect(await promtoolCheckMetrics(text)).toEqual({ exitCode: 0, output: '' });
    const types = metricTypes(text);
    expect(types).toMatchObject({
      pos_cloud_commands: 'gauge',
      pos_cloud_command_transitions_total: 'counter',
      pos_cloud_command_timers_total: 'counter',
      pos_cloud_ingested_events_total: 'counter',
      pos_cloud_long_poll_waiters: 'gauge',
      pos_cloud_commands_delivered_total: 'counter',
      pos_cloud_projection_skipped_total: 'counter',
      pos_cloud_process_resident_memory_bytes: 'gauge',
      pos_cloud_nodejs_eventloop_lag_seconds: 'gauge',
      pos_cloud_nodejs_active_handles: 'gauge',
    });
    expect(Object.entries(types).filter(([name, type]) => name.endsWith('_total') && type !== 'counter')).toEqual([]);
  });
});
