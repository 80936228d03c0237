import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Bonjour, type Browser, type Service } from 'bonjour-service';
import { freePort, waitFor } from '@app/testing';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { enableLoopbackMulticast } from '../../test/loopback-multicast.js';
import { readSoftwareVersion } from '../status/software-version.js';
import { MDNS_SERVICE_TYPE, mdnsSocketOptions } from './mdns-advertiser.js';
import { mdnsHostName, mdnsServiceName } from './mdns-names.js';

const LOOPBACK = mdnsSocketOptions('127.0.0.1');

describe('mDNS advertisement (edge, on loopback)', () => {
  let browserSide: Bonjour;
  let browser: Browser;
  const up: Service[] = [];
  const down: Service[] = [];
  const apps: EdgeTestApp[] = [];

  beforeAll(() => {
    enableLoopbackMulticast();
  });

  beforeEach(() => {
    up.length = 0;
    down.length = 0;
    // A real browser of the service, as a till would run it.
    browserSide = new Bonjour(LOOPBACK, (error: Error) => {
      throw error;
    });
    browser = browserSide.find({ type: MDNS_SERVICE_TYPE, protocol: 'tcp' });
    browser.on('up', (service) => up.push(service));
    browser.on('down', (service) => down.push(service));
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    browser.stop();
    await new Promise<void>((resolve) => browserSide.destroy(() => resolve()));
  });

  /** A hub of a real store: a tenant and a store UUID, as the cloud assigns them. */
  async function startHub(label: string, enabled = 'true'): Promise<{ edge: EdgeTestApp; port: number; tenantId: string; storeId: string }> {
    const port = await freePort();
    const realm = { tenantId: randomUUID(), storeId: randomUUID() };
    const edge = await startEdgeTestApp(label, {
      MDNS_ENABLED: enabled,
      MDNS_INTERFACE: '127.0.0.1',
      PORT: String(port),
      TENANT_ID: realm.tenantId,
      STORE_ID: realm.storeId,
    });
    apps.push(edge);
    return { edge, port, ...realm };
  }

  it(
    'should advertise _poshub._tcp on the edge port with the realm and version in TXT, on <host>.local at the interface address, and say ' +
      'goodbye on shutdown',
    async () => {
      const { edge, port, tenantId, storeId } = await startHub('mdns');
      const name = mdnsServiceName(tenantId, storeId);
      const found = await waitFor(() => up.find((s) => s.name === name), { timeoutMs: 15_000, what: `the ${name} advertisement` });
      expect(found).toMatchObject({
        type: MDNS_SERVICE_TYPE,
        protocol: 'tcp',
        port,
        host: mdnsHostName(hostname()),
        txt: { tenantId, storeId, version: readSoftwareVersion() },
      });
      expect(found.host).toMatch(/\.local$/);
      // Only the address of MDNS_INTERFACE, never the machine's other interfaces.
      expect(found.addresses).toEqual(['127.0.0.1']);
      await edge.app.close();
      await waitFor(() => down.some((s) => s.name === name), { timeoutMs: 10_000, what: 'the goodbye' });
    },
  );

  it('should advertise nothing when MDNS_ENABLED is false', async () => {
    const off = await startHub('mdns-off', 'false');
    const { port } = await startHub('mdns-on');
    // The enabled hub shows that the browser works; the disabled one is still absent by then.
    await waitFor(() => up.some((s) => s.port === port), { timeoutMs: 15_000, what: 'the enabled hub' });
    expect(up.map((s) => s.name)).not.toContain(mdnsServiceName(off.tenantId, off.storeId));
    expect(up.map((s) => s.port)).not.toContain(off.port);
  });
});
