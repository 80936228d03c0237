import { generateEd25519KeyPair, generateEs256KeyPair } from '@app/crypto';
import { ConfigError } from '@app/nest-kit';
import { loadEdgeConfig } from './edge-config.js';

const key = generateEs256KeyPair().publicKeyBase64;

describe('loadEdgeConfig', () => {
  it('should apply the documented defaults', () => {
    expect(loadEdgeConfig({ TENANT_ID: 't-demo', STORE_ID: 's-001', CLUSTER_PUBLIC_KEY_BASE64: key })).toMatchObject({
      port: 4001,
      dataDir: './data',
      mdnsEnabled: true,
      mdnsInterface: null,
      tenantId: 't-demo',
      storeId: 's-001',
      maxLamportSkew: 1_000_000,
    });
  });

  it('should take a Lamport skew bound of at least 1,000 and refuse a smaller or fractional one, naming it', () => {
    const base = { TENANT_ID: 't-demo', STORE_ID: 's-001', CLUSTER_PUBLIC_KEY_BASE64: key };
    expect(loadEdgeConfig({ ...base, EDGE_MAX_LAMPORT_SKEW: '50000' }).maxLamportSkew).toBe(50_000);
    for (const bad of ['999', '0', '-5', '1.5', 'lots'])
      expect(() => loadEdgeConfig({ ...base, EDGE_MAX_LAMPORT_SKEW: bad })).toThrow(/ {2}- EDGE_MAX_LAMPORT_SKEW: /);
  });

  it('should keep 30 days of the log the cloud holds by default, 0 keeping it whole, and refuse a bad retention, naming it', () => {
    const base = { TENANT_ID: 't-demo', STORE_ID: 's-001', CLUSTER_PUBLIC_KEY_BASE64: key };
    expect(loadEdgeConfig(base).logRetention).toEqual({ days: 30, intervalSeconds: 3_600, batchSize: 500 });
    expect(loadEdgeConfig({ ...base, EDGE_LOG_RETENTION_DAYS: '0' }).logRetention.days).toBeNull();
    expect(() => loadEdgeConfig({ ...base, EDGE_LOG_RETENTION_DAYS: '-1' })).toThrow(/EDGE_LOG_RETENTION_DAYS: must be 0 \(keep the whole log\) or more/);
    expect(() => loadEdgeConfig({ ...base, EDGE_LOG_RETENTION_DAYS: '1.5' })).toThrow(/EDGE_LOG_RETENTION_DAYS: must be a whole number of days/);
    expect(() => loadEdgeConfig({ ...base, EDGE_LOG_PRUNE_BATCH: '9' })).toThrow(/EDGE_LOG_PRUNE_BATCH: must be 10-5000/);
    expect(() => loadEdgeConfig({ ...base, EDGE_LOG_PRUNE_INTERVAL_SECONDS: '0' })).toThrow(/EDGE_LOG_PRUNE_INTERVAL_SECONDS: must be at least 1/);
  });

  it('should take one token clock tolerance (30 s by default, 0-600) and refuse a bad one, naming it', () => {
    const base = { TENANT_ID: 't-demo', STORE_ID: 's-001', CLUSTER_PUBLIC_KEY_BASE64: key };
    expect(loadEdgeConfig(base).tokenClockToleranceSeconds).toBe(30);
    expect(loadEdgeConfig({ ...base, EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS: '0' }).tokenClockToleranceSeconds).toBe(0);
    expect(() => loadEdgeConfig({ ...base, EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS: '601' })).toThrow(/EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS: must be 0-600/);
    expect(() => loadEdgeConfig({ ...base, EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS: '2.5' })).toThrow(
      /EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS: must be a whole number of seconds/,
    );
  });

  it('should bound a device backlog at 16 MiB by default and refuse less than 1 MiB, naming it', () => {
    const base = { TENANT_ID: 't-demo', STORE_ID: 's-001', CLUSTER_PUBLIC_KEY_BASE64: key };
    expect(loadEdgeConfig(base)).toMatchObject({ relayBacklogMax: 20_000, deviceBacklogMaxBytes: 16 * 1_048_576 });
    expect(() => loadEdgeConfig({ ...base, EDGE_DEVICE_BACKLOG_MAX_BYTES: '65536' })).toThrow(/EDGE_DEVICE_BACKLOG_MAX_BYTES: must be at least 1048576/);
  });

  it('should name every missing or bad variable in one message', () => {
    let error: unknown;
    try {
      loadEdgeConfig({ PORT: '70000', MDNS_ENABLED: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'TENANT_ID', 'STORE_ID', 'CLUSTER_PUBLIC_KEY_BASE64', 'MDNS_ENABLED']) expect(message).toContain(`  - ${name}: `);
  });

  it('should take MDNS_INTERFACE as an IPv4 address only, and empty as every interface', () => {
    const base = { TENANT_ID: 't-demo', STORE_ID: 's-001', CLUSTER_PUBLIC_KEY_BASE64: key };
    expect(loadEdgeConfig({ ...base, MDNS_INTERFACE: '192.168.1.10' }).mdnsInterface).toBe('192.168.1.10');
    expect(loadEdgeConfig({ ...base, MDNS_INTERFACE: '' }).mdnsInterface).toBeNull(); // compose passes an unset one as empty
    for (const bad of ['eth0', '192.168.1', '::1', '300.1.1.1'])
      expect(() => loadEdgeConfig({ ...base, MDNS_INTERFACE: bad })).toThrow(/ {2}- MDNS_INTERFACE: must be the IPv4 address of the interface/);
  });

  it('should refuse a cluster key that is not the cloud P-256 public key', () => {
    expect(() => loadEdgeConfig({ TENANT_ID: 't', STORE_ID: 's', CLUSTER_PUBLIC_KEY_BASE64: generateEd25519KeyPair().publicKeyBase64 })).toThrow(
      /CLUSTER_PUBLIC_KEY_BASE64: must be base64 of the SPKI PEM/,
    );
  });
});
