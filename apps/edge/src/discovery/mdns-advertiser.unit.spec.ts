import { Service } from 'bonjour-service';
import { advertiseAddress, mdnsSocketOptions } from './mdns-advertiser.js';

describe('mdnsSocketOptions', () => {
  it('should use every interface by default', () => {
    expect(mdnsSocketOptions(null)).toEqual({});
  });

  it('should send and join on the chosen interface but bind the wildcard address, or it would never receive the group', () => {
    expect(mdnsSocketOptions('192.168.1.10')).toEqual({ interface: '192.168.1.10', bind: '0.0.0.0' });
  });
});

describe('advertiseAddress', () => {
  const service = () =>
    new Service(
      { name: 'poshub-0123456789abcdef', type: 'poshub', port: 4001, host: 'hub.local', txt: { tenantId: 't' } },
      () => undefined,
      () => undefined,
    );

  it('should leave the PTR, SRV and TXT records and put the one address in a single A record', () => {
    const published = service();
    const before = published.records().filter((r) => r.type !== 'A' && r.type !== 'AAAA');
    advertiseAddress(published, '127.0.0.1');
    const records = published.records();
    expect(records.filter((r) => r.type !== 'A' && r.type !== 'AAAA')).toEqual(before);
    expect(records.filter((r) => r.type === 'A' || r.type === 'AAAA')).toEqual([{ name: 'hub.local', type: 'A', ttl: 120, data: '127.0.0.1' }]);
    expect(records.find((r) => r.type === 'SRV')).toMatchObject({
      name: 'poshub-0123456789abcdef._poshub._tcp.local',
      data: { port: 4001, target: 'hub.local' },
    });
  });

  it('should give fresh records on every call, so the goodbye (TTL 0) does not change the announcement', () => {
    const published = service();
    advertiseAddress(published, '10.0.0.5');
    for (const record of published.records()) record.ttl = 0;
    expect(published.records().every((r) => r.ttl > 0)).toBe(true);
  });
});
