import { randomUUID } from 'node:crypto';
import { DNS_LABEL_MAX_BYTES, mdnsHostName, mdnsServiceName } from './mdns-names.js';

const bytes = (label: string) => Buffer.byteLength(label, 'utf8');

describe('mdnsServiceName', () => {
  it('should fit in one DNS label with a tenant and a store UUID', () => {
    // given the ids of a real store (two UUIDs: 80 bytes side by side)
    const name = mdnsServiceName(randomUUID(), randomUUID());
    // then the name is the readable prefix and a hash, well inside 63 bytes
    expect(name).toMatch(/^poshub-[0-9a-f]{16}$/);
    expect(bytes(name)).toBeLessThanOrEqual(DNS_LABEL_MAX_BYTES);
  });

  it('should fit whatever the ids, however long', () => {
    const long = 'tenant-'.repeat(40);
    expect(bytes(mdnsServiceName(long, `${'store-'.repeat(40)}${randomUUID()}`))).toBeLessThanOrEqual(DNS_LABEL_MAX_BYTES);
    expect(bytes(mdnsServiceName('ß'.repeat(200), '店'.repeat(200)))).toBeLessThanOrEqual(DNS_LABEL_MAX_BYTES);
  });

  it('should be the same for the same store on every start, and differ between stores', () => {
    const tenantId = randomUUID();
    const storeId = randomUUID();
    expect(mdnsServiceName(tenantId, storeId)).toBe(mdnsServiceName(tenantId, storeId));
    const names = new Set(Array.from({ length: 1_000 }, () => mdnsServiceName(tenantId, randomUUID())));
    expect(names.size).toBe(1_000);
    expect(mdnsServiceName(randomUUID(), storeId)).not.toBe(mdnsServiceName(tenantId, storeId));
  });

  it('should keep the two ids apart (no collision by moving a hyphen between them)', () => {
    expect(mdnsServiceName('t-a', 'b')).not.toBe(mdnsServiceName('t', 'a-b'));
  });
});

describe('mdnsHostName', () => {
  it('should put a plain host name under .local', () => {
    expect(mdnsHostName('pos-hub-01')).toBe('pos-hub-01.local');
  });

  it('should keep the first label of a dotted host name', () => {
    expect(mdnsHostName('hub.store-12.example.com')).toBe('hub.local');
  });

  it('should make a valid host label of any host name, at most 63 bytes', () => {
    expect(mdnsHostName('Till_Kitchen #2')).toBe('till-kitchen-2.local');
    expect(mdnsHostName('-Café--hub-')).toBe('cafe-hub.local');
    expect(mdnsHostName('店のハブ')).toBe('poshub.local');
    const long = mdnsHostName(`${'a'.repeat(62)}-${'b'.repeat(40)}`);
    expect(long).toBe(`${'a'.repeat(62)}.local`);
    for (const name of [`${'x'.repeat(300)}`, randomUUID().repeat(4), `${'y'.repeat(63)}-`]) {
      const label = mdnsHostName(name).slice(0, -'.local'.length);
      expect(bytes(label)).toBeLessThanOrEqual(DNS_LABEL_MAX_BYTES);
      expect(label).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    }
  });

  it('should fall back to poshub when nothing of the host name is usable', () => {
    expect(mdnsHostName('')).toBe('poshub.local');
    expect(mdnsHostName('---')).toBe('poshub.local');
    expect(mdnsHostName('.local')).toBe('poshub.local');
  });
});
