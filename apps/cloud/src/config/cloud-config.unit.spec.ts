import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { generateEd25519KeyPair, generateEs256KeyPair } from '@app/crypto';
import { ConfigError } from '@app/nest-kit';
import { createTempDir, type TempDir } from '@app/testing';
import { loadCloudConfig } from './cloud-config.js';

describe('loadCloudConfig', () => {
  let tmp: TempDir;

  beforeEach(async () => {
    tmp = await createTempDir('cloud-config');
  });

  afterEach(async () => {
    await tmp.remove();
  });

  function load(env: Record<string, string>) {
    return loadCloudConfig({ DEV_KEYS_FILE: path.join(tmp.path, 'keys.json'), ...env });
  }

  it('should apply the documented defaults', () => {
    const config = load({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'mysql://root@127.0.0.1:3306/pos_cloud',
      redisUrl: 'redis://127.0.0.1:6379',
      nodeEnv: 'development',
      firstAdmin: null,
    });
    expect(config.commandVerifyKeys[0]?.keyId).toBe(config.commandSigningKey.keyId);
  });

  it('should apply the documented defaults of the command policy, the fleet view and logins', () => {
    const config = load({});
    expect(config.commands).toEqual({ ttlSeconds: 604_800, ackTimeoutSeconds: 30, retryBaseMs: 1_000, retryMaxMs: 300_000, maxAttempts: 5 });
    expect(config).toMatchObject({ nodeOfflineAfterSeconds: 45, reconcileIntervalSeconds: 60, trustProxy: false });
    expect(config.loginThrottle).toEqual({
      maxFailuresPerEmailAndSource: 5,
      maxFailuresPerEmail: 20,
      maxFailuresPerIp: 30,
      backoffBaseMs: 2_000,
      backoffMaxMs: 900_000,
      failureWindowSeconds: 3_600,
      trustedBrowserDays: 30,
    });
    expect(config.authJwtKey.symmetricKeySize).toBe(Buffer.byteLength(config.authJwtSecret));
  });

  it('should read TRUST_PROXY as a hop count or a list of proxy addresses, and refuse true', () => {
    expect(load({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(load({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::/32' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '2001:db8::/32']);
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example.com', '10.0.0.1,,']) {
      expect(() => load({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY: must be false, the number of proxies/);
    }
  });

  it('should carry revocations 8 days by default, and refuse less than the agent token lifetime', () => {
    expect(load({}).nodeRevocationNoticeSeconds).toBe(691_200);
    expect(() => load({ NODE_REVOCATION_NOTICE_SECONDS: '3600' })).toThrow(/NODE_REVOCATION_NOTICE_SECONDS: must be at least 86400/);
  });

  it('should refuse a login backoff cap below its base', () => {
    expect(() => load({ LOGIN_BACKOFF_BASE_MS: '5000', LOGIN_BACKOFF_MAX_MS: '1000' })).toThrow(
      /LOGIN_BACKOFF_MAX_MS: must not be below LOGIN_BACKOFF_BASE_MS/,
    );
  });

  it('should refuse a retry cap below the retry base, and a zero attempt count', () => {
    expect(() => load({ COMMAND_RETRY_BASE_MS: '5000', COMMAND_RETRY_MAX_MS: '1000', COMMAND_MAX_ATTEMPTS: '0' })).toThrow(
      /COMMAND_MAX_ATTEMPTS: must be at least 1[\s\S]*COMMAND_RETRY_MAX_MS: must not be below COMMAND_RETRY_BASE_MS/,
    );
  });

  it('should name every bad variable in one message', () => {
    let error: unknown;
    try {
      load({ PORT: 'eighty', DATABASE_URL: 'postgres://x/y', REDIS_URL: 'nope', LOG_LEVEL: 'loud', ADMIN_EMAIL: 'not-an-email' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'ADMIN_TENANT']) {
      expect(message).toContain(`  - ${name}: `);
    }
    expect(message).toContain('PORT: must be a port number (got "eighty")');
  });

  it('should never print a secret it refuses', () => {
    expect(() => load({ AUTH_JWT_SECRET: 'short-secret' })).toThrow('AUTH_JWT_SECRET: must be at least 32 characters (value hidden)');
    expect(() => load({ COMMAND_SIGNING_KEY: 'garbage' })).toThrow(/COMMAND_SIGNING_KEY: must be base64 of a PKCS#8 PEM Ed25519 private key \(value hidden\)/);
  });

  it('should refuse a key of the wrong kind', () => {
    expect(() => load({ COMMAND_SIGNING_KEY: generateEs256KeyPair().privateKeyBase64 })).toThrow(/COMMAND_SIGNING_KEY/);
    expect(() => load({ CLUSTER_SIGNING_KEY: generateEd25519KeyPair().privateKeyBase64 })).toThrow(/CLUSTER_SIGNING_KEY/);
  });

  it('should require the keys in production instead of generating them', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(
      /AUTH_JWT_SECRET: is required when NODE_ENV=production[\s\S]*COMMAND_SIGNING_KEY[\s\S]*CLUSTER_SIGNING_KEY/,
    );
    expect(existsSync(path.join(tmp.path, 'keys.json'))).toBe(false);
  });

  it('should generate development keys once, privately, and reuse them', () => {
    const first = load({});
    const file = path.join(tmp.path, 'keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = load({});
    expect(second.commandSigningKey.keyId).toBe(first.commandSigningKey.keyId);
    expect(second.clusterPublicKeyBase64).toBe(first.clusterPublicKeyBase64);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('authJwtSecret', first.authJwtSecret);
  });

  it('should publish an old key next to the active one during a rotation', () => {
    const active = generateEd25519KeyPair();
    const old = generateEd25519KeyPair();
    const config = load({
      COMMAND_SIGNING_KEY: active.privateKeyBase64,
      COMMAND_SIGNING_KEY_ID: 'k-2026-12',
      COMMAND_VERIFY_KEYS: `k-2026-11=${old.publicKeyBase64}`,
    });
    expect(config.commandVerifyKeys.map((k) => k.keyId)).toEqual(['k-2026-12', 'k-2026-11']);
    expect(config.commandVerifyKeys[1]?.publicKey).toBe(old.publicKeyBase64);
  });

  it('should need all three ADMIN_* variables together', () => {
    expect(() => load({ ADMIN_EMAIL: 'a@b.co' })).toThrow(/ADMIN_PASSWORD: is required with the other ADMIN_\* variables[\s\S]*ADMIN_TENANT/);
    expect(load({ ADMIN_EMAIL: 'Boss@Demo.Co', ADMIN_PASSWORD: 'password1', ADMIN_TENANT: 'demo' }).firstAdmin).toEqual({
      email: 'boss@demo.co',
      password: 'password1',
      tenant: 'demo',
    });
  });
  it('should apply the documented defaults of revision checkpoints and retention: ingested events kept', () => {
    const config = load({});
    expect(config.revisionCheckpointInterval).toBe(50);
    expect(config.retention).toEqual({ intervalSeconds: 3_600, batchSize: 1_000, commandDays: 90, auditDays: 400, ingestedEventDays: null });
    expect(load({ INGESTED_EVENT_RETENTION_DAYS: '365' }).retention.ingestedEventDays).toBe(365);
  });

  it('should refuse a retention that would lose what it must keep, naming the variable', () => {
    expect(() => load({ INGESTED_EVENT_RETENTION_DAYS: '7' })).toThrow(/INGESTED_EVENT_RETENTION_DAYS: must be 0 \(keep every event\) or at least 30/);
    expect(() => load({ AUDIT_RETENTION_DAYS: '30' })).toThrow(/AUDIT_RETENTION_DAYS: must not be below COMMAND_RETENTION_DAYS/);
    expect(() => load({ COMMAND_RETENTION_DAYS: '0' })).toThrow(/COMMAND_RETENTION_DAYS: must be at least 1/);
    expect(() => load({ REVISION_CHECKPOINT_INTERVAL: 'ten' })).toThrow(/REVISION_CHECKPOINT_INTERVAL: must be a whole number/);
    expect(() => load({ RETENTION_BATCH_SIZE: '100000' })).toThrow(/RETENTION_BATCH_SIZE: must be 10-5000/);
  });
});
