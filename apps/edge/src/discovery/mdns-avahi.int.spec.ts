import { randomUUID } from 'node:crypto';
import { freePort, waitFor } from '@app/testing';
import { AvahiNamespace } from '../../test/avahi-namespace.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { readSoftwareVersion } from '../status/software-version.js';
import { MDNS_SERVICE_TYPE } from './mdns-advertiser.js';
import { mdnsServiceName } from './mdns-names.js';

const SERVICE_TYPE = `_${MDNS_SERVICE_TYPE}._tcp`;

/**
 * The hub as Debian's avahi finds it (avahi-daemon and avahi-browse, the stack of a Linux till),
 * for a hub of a real store (UUID ids). avahi ignores loopback: it runs in a network namespace of
 * this test's, joined to the hub by a veth pair (test/avahi-namespace.ts).
 */
describe('mDNS advertisement seen by avahi-browse (edge, over a veth pair into a test namespace)', () => {
  let avahi: AvahiNamespace | undefined;
  let edge: EdgeTestApp | undefined;

  afterEach(async () => {
    await edge?.close();
    await avahi?.stop();
  });

  it('should be found with its port, TXT, a .local host and the address of MDNS_INTERFACE, and gone after its goodbye', async () => {
    avahi = await AvahiNamespace.start();
    const realm = { tenantId: randomUUID(), storeId: randomUUID() };
    const port = await freePort();
    edge = await startEdgeTestApp('mdns-avahi', {
      MDNS_ENABLED: 'true',
      MDNS_INTERFACE: avahi.hostAddress,
      PORT: String(port),
      TENANT_ID: realm.tenantId,
      STORE_ID: realm.storeId,
    });
    const name = mdnsServiceName(realm.tenantId, realm.storeId);

    const found = await waitFor(async () => (await avahi!.browse(SERVICE_TYPE)).find((s) => s.name === name), {
      timeoutMs: 20_000,
      what: `avahi-browse to list ${name}`,
    });
    expect(found).toEqual({
      interface: expect.stringMatching(/^pmn/),
      name,
      type: SERVICE_TYPE,
      host: expect.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.local$/),
      address: avahi.hostAddress,
      port,
      txt: { tenantId: realm.tenantId, storeId: realm.storeId, version: readSoftwareVersion() },
    });

    await edge.close();
    edge = undefined;
    await waitFor(async () => !(await avahi!.browse(SERVICE_TYPE)).some((s) => s.name === name), {
      timeoutMs: 10_000,
      what: `${name} to leave avahi's cache after the goodbye`,
    });
  });
});
