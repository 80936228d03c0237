import { randomUUID } from 'node:crypto';
import { freePort } from '@app/testing';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { enableLoopbackMulticast } from '../../test/loopback-multicast.js';
import { ZeroconfBrowser, requireZeroconf, type ZeroconfChange } from '../../test/zeroconf-browser.js';
import { readSoftwareVersion } from '../status/software-version.js';
import { MDNS_SERVICE_TYPE } from './mdns-advertiser.js';
import { mdnsServiceName } from './mdns-names.js';

const SERVICE_TYPE = `_${MDNS_SERVICE_TYPE}._tcp.local.`;

/**
 * The hub as an mDNS client nobody on this project wrote finds it: python-zeroconf (Debian's
 * python3-zeroconf), browsing on 127.0.0.1 only, for a hub of a real store (UUID ids).
 */
describe('mDNS advertisement seen by python-zeroconf (edge, on loopback)', () => {
  let browser: ZeroconfBrowser | undefined;
  let edge: EdgeTestApp | undefined;

  beforeAll(() => {
    requireZeroconf();
    enableLoopbackMulticast();
  });

  afterEach(async () => {
    await edge?.close();
    await browser?.close();
  });

  it('should find the hub of a store with UUID ids, with its port, TXT, a .local SRV target and the interface address, and see its goodbye', async () => {
    browser = await ZeroconfBrowser.start('127.0.0.1', SERVICE_TYPE);
    const realm = { tenantId: randomUUID(), storeId: randomUUID() };
    const port = await freePort();
    edge = await startEdgeTestApp('mdns-zeroconf', {
      MDNS_ENABLED: 'true',
      MDNS_INTERFACE: '127.0.0.1',
      PORT: String(port),
      TENANT_ID: realm.tenantId,
      STORE_ID: realm.storeId,
    });
    const instance = `${mdnsServiceName(realm.tenantId, realm.storeId)}.${SERVICE_TYPE}`;
    const mine = (c: ZeroconfChange) => c.event !== 'ready' && c.name === instance;

    const added = await browser.waitFor(() => browser!.changes.find((c) => mine(c) && c.event === 'added'), `${instance} to be found`);
    expect(added).toEqual({
      event: 'added',
      name: instance,
      info: {
        port,
        server: expect.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.local\.$/),
        addresses: ['127.0.0.1'],
        txt: { tenantId: realm.tenantId, storeId: realm.storeId, version: readSoftwareVersion() },
      },
    });

    await edge.close();
    edge = undefined;
    await browser.waitFor(() => browser!.changes.some((c) => mine(c) && c.event === 'removed'), `the goodbye of ${instance}`);
  });
});
