import { Bonjour, type Browser, type Service } from 'bonjour-service';
import { freePort, waitFor } from '@app/testing';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { enableLoopbackMulticast } from '../../test/loopback-multicast.js';
import { readSoftwareVersion } from '../status/software-version.js';
import { MDNS_SERVICE_TYPE, mdnsServiceName, mdnsSocketOptions } from './mdns-advertiser.js';

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

  async function startHub(label: string, storeId: string, enabled = 'true'): Promise<{ edge: EdgeTestApp; port: number }> {
    const port = await freePort();
    const edge = await startEdgeTestApp(label, { MDNS_ENABLED: enabled, MDNS_INTERFACE: '127.0.0.1', PORT: String(port), STORE_ID: storeId });
    apps.push(edge);
    return { edge, port };
  }

  it('should advertise _poshub._tcp on the edge port with the realm and version in TXT, and say goodbye on shutdown', async () => {
    const { edge, port } = await startHub('mdns', 's-mdns-1');
    const name = mdnsServiceName('t-demo', 's-mdns-1');
    const found = await waitFor(() => up.find((s) => s.name === name), { timeoutMs: 15_000, what: `the ${name} advertisement` });
    expect(found).toMatchObject({ type: MDNS_SERVICE_TYPE, protocol: 'tcp', port, txt: { tenantId: 't-demo', storeId: 's-mdns-1', version: readSoftwareVersion() } });
    await edge.app.close();
    await waitFor(() => down.some((s) => s.name === name), { timeoutMs: 10_000, what: 'the goodbye' });
  });

  it('should advertise nothing when MDNS_ENABLED is false', async () => {
    await startHub('mdns-off', 's-mdns-off', 'false');
    const { port } = await startHub('mdns-on', 's-mdns-on');
    // The enabled hub shows that the browser works; the disabled one is still absent by then.
    await waitFor(() => up.some((s) => s.port === port), { timeoutMs: 15_000, what: 'the enabled hub' });
    expect(up.map((s) => s.name)).not.toContain(mdnsServiceName('t-demo', 's-mdns-off'));
  });
});
