import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTempDir, type TempDir } from '@app/testing';
import { CREDENTIALS_FILE, CredentialsStore, type StoredCredentials } from './credentials-store.js';

const credentials: StoredCredentials = {
  cloudUrl: 'http://cloud',
  nodeId: 'n1',
  tenantId: 't1',
  storeId: 's1',
  nodeSecret: 'x'.repeat(32),
  accessToken: 'access',
  accessTokenExpiresAt: '2026-11-21T10:00:00.000Z',
  agentToken: 'agent',
  signingKeys: [{ keyId: 'k1', publicKey: 'pk' }],
  clusterPublicKey: 'cpk',
  signingKeysToken: 'skt',
};

describe(CredentialsStore.name, () => {
  let tmp: TempDir;

  beforeEach(async () => {
    tmp = await createTempDir('credentials');
  });

  afterEach(() => tmp.remove());

  it('should have nothing to load before the first registration', () => {
    expect(new CredentialsStore(tmp.path).load()).toBeNull();
  });

  it('should write the file readable by its owner only, replace it whole and leave no temporary file', () => {
    const store = new CredentialsStore(path.join(tmp.path, 'nested'));
    store.save(credentials);
    store.save({ ...credentials, accessToken: 'renewed' });
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(new CredentialsStore(path.join(tmp.path, 'nested')).load()).toEqual({ ...credentials, accessToken: 'renewed' });
    expect(readdirSync(path.join(tmp.path, 'nested'))).toEqual([CREDENTIALS_FILE]);
  });

  it('should refuse a damaged file with a message that says what to do', () => {
    writeFileSync(path.join(tmp.path, CREDENTIALS_FILE), '{"nodeId": ');
    expect(() => new CredentialsStore(tmp.path).load()).toThrow(/is not valid JSON .*register again/);
    writeFileSync(path.join(tmp.path, CREDENTIALS_FILE), '{"nodeId": "n1"}');
    expect(() => new CredentialsStore(tmp.path).load()).toThrow(/is not a credentials file \(cloudUrl/);
  });
});
