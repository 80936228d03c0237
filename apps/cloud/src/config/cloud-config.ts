import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { idSchema, type PublicKeyInfo } from '@app/contracts';
import { privateKeyFromBase64, publicKeyFromBase64, publicKeyToBase64, signingKeyFrom, type CommandSigningKey } from '@app/crypto';
import { ConfigError, env, loadConfig, type ConfigValues, type CrossCheck } from '@app/nest-kit';
import { loadOrCreateDevKeys } from './dev-keys.js';

const keyText = (kind: 'ed25519' | 'ec') =>
  z
    .string()
    .optional()
    .refine(
      (value) => {
        if (value === undefined) return true;
        try {
          return privateKeyFromBase64(value).asymmetricKeyType === kind;
        } catch {
          return false;
        }
      },
      `must be base64 of a PKCS#8 PEM ${kind === 'ec' ? 'P-256 (ES256)' : 'Ed25519'} private key`,
    );

const verifyKeysText = z
  .string()
  .optional()
  .refine((value) => {
    if (value === undefined) return true;
    try {
      return parseVerifyKeys(value).length > 0;
    } catch {
      return false;
    }
  }, 'must be keyId=base64-SPKI-PEM pairs separated by commas');

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (TRUST_PROXY_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

/**
 * Express's `trust proxy`: which hops may set X-Forwarded-For (and so the client address that login
 * throttling counts per source). Off by default: with it on, any client could pick its own address.
 * `true` (every hop) is refused for the same reason.
 */
const TRUST_PROXY_MESSAGE =
  'must be false, the number of proxies in front of the cloud (1), or their addresses/CIDRs (loopback, 10.0.0.0/8, ...); ' +
  'true would let any client pick its address';

const trustProxyText = z
  .string()
  .optional()
  .refine((value) => {
    if (value === undefined || value === 'false' || /^\d{1,2}$/.test(value)) return true;
    const entries = value.split(',').map((e) => e.trim());
    return entries.every((e) => e.length > 0 && isProxyAddress(e));
  }, TRUST_PROXY_MESSAGE);

/** The value Express takes for `trust proxy`. */
export type TrustProxy = false | number | string[];

function trustProxyOf(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  return value.split(',').map((e) => e.trim());
}

export const cloudEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: env.port(3000),
  DATABASE_URL: env.url(['mysql', 'mariadb']).default('mysql://root@127.0.0.1:3306/pos_cloud'),
  DATABASE_POOL_SIZE: env.positiveInt(10),
  DATABASE_ACQUIRE_TIMEOUT_MS: env.positiveInt(3_000),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (no bound) or more')
    .default(30_000),
  REDIS_URL: env.url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1-64 letters, digits, or : _ -')
    .default('pos'),
  LOG_LEVEL: env.logLevel(),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  COMMAND_SIGNING_KEY: keyText('ed25519'),
  COMMAND_SIGNING_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits, or . _ : -')
    .optional(),
  COMMAND_VERIFY_KEYS: verifyKeysText,
  CLUSTER_SIGNING_KEY: keyText('ec'),
  DEV_KEYS_FILE: z.string().default('.data/cloud-dev-keys.json'),
  ADMIN_EMAIL: z.email('must be an email address').optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  ADMIN_TENANT: idSchema.optional(),
  BACKOFFICE_DIR: z.string().default('apps/backoffice/dist'),
  NODE_OFFLINE_AFTER_SECONDS: env.positiveInt(45),
  COMMAND_TTL_SECONDS: env.positiveInt(7 * 24 * 3600),
  COMMAND_ACK_TIMEOUT_SECONDS: env.positiveInt(30),
  COMMAND_RETRY_BASE_MS: env.positiveInt(1_000),
  COMMAND_RETRY_MAX_MS: env.positiveInt(300_000),
  COMMAND_MAX_ATTEMPTS: env.positiveInt(5),
  RECONCILE_INTERVAL_SECONDS: env.positiveInt(60),
  RECOVERY_SWEEP_SECONDS: env.positiveInt(15),
  SHUTDOWN_TIMEOUT_SECONDS: env.positiveInt(10),
  NODE_REVOCATION_NOTICE_SECONDS: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(86_400, 'must be at least 86400 (the agent token lifetime)')
    .default(8 * 86_400),
  TRUST_PROXY: trustProxyText,
  LOGIN_MAX_FAILURES_PER_EMAIL_AND_SOURCE: env.positiveInt(5),
  LOGIN_MAX_FAILURES_PER_EMAIL: env.positiveInt(20),
  LOGIN_MAX_FAILURES_PER_IP: env.positiveInt(30),
  LOGIN_BACKOFF_BASE_MS: env.positiveInt(2_000),
  LOGIN_BACKOFF_MAX_MS: env.positiveInt(15 * 60_000),
  LOGIN_FAILURE_WINDOW_SECONDS: env.positiveInt(3_600),
  LOGIN_TRUSTED_BROWSER_DAYS: env.positiveInt(30),
  REVISION_CHECKPOINT_INTERVAL: env.positiveInt(50),
  RETENTION_INTERVAL_SECONDS: env.positiveInt(3_600),
  RETENTION_BATCH_SIZE: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(10, 'must be 10-5000')
    .max(5_000, 'must be 10-5000')
    .default(1_000),
  COMMAND_RETENTION_DAYS: env.positiveInt(90),
  AUDIT_RETENTION_DAYS: env.positiveInt(400),
  INGESTED_EVENT_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .refine((days) => days === 0 || days >= 30, 'must be 0 (keep every event) or at least 30')
    .default(0),
});

const PRODUCTION_KEYS = ['AUTH_JWT_SECRET', 'COMMAND_SIGNING_KEY', 'CLUSTER_SIGNING_KEY'] as const;
const ADMIN_VARIABLES = ['ADMIN_EMAIL', 'ADMIN_PASSWORD', 'ADMIN_TENANT'] as const;

const cloudCrossChecks: CrossCheck[] = [
  (raw) =>
    Number(raw.LOGIN_BACKOFF_MAX_MS ?? 900_000) < Number(raw.LOGIN_BACKOFF_BASE_MS ?? 2_000)
      ? [{ variable: 'LOGIN_BACKOFF_MAX_MS', message: 'must not be below LOGIN_BACKOFF_BASE_MS' }]
      : [],
  (raw) =>
    Number(raw.COMMAND_RETRY_MAX_MS ?? 300_000) < Number(raw.COMMAND_RETRY_BASE_MS ?? 1_000)
      ? [{ variable: 'COMMAND_RETRY_MAX_MS', message: 'must not be below COMMAND_RETRY_BASE_MS' }]
      : [],
  (raw) =>
    Number(raw.AUDIT_RETENTION_DAYS ?? 400) < Number(raw.COMMAND_RETENTION_DAYS ?? 90)
      ? [{ variable: 'AUDIT_RETENTION_DAYS', message: 'must not be below COMMAND_RETENTION_DAYS (the audit outlives the commands it names)' }]
      : [],
  (raw) =>
    raw.NODE_ENV === 'production'
      ? PRODUCTION_KEYS.filter((name) => raw[name] === undefined).map((variable) => ({
          variable,
          message: 'is required when NODE_ENV=production (development generates one)',
        }))
      : [],
  (raw) => {
    const set = ADMIN_VARIABLES.filter((name) => raw[name] !== undefined);
    if (set.length === 0 || set.length === ADMIN_VARIABLES.length) return [];
    return ADMIN_VARIABLES.filter((name) => raw[name] === undefined).map((variable) => ({ variable, message: 'is required with the other ADMIN_* variables' }));
  },
];

export function parseVerifyKeys(text: string): PublicKeyInfo[] {
  return text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error('expected keyId=key');
      const keyId = pair.slice(0, at);
      const key = publicKeyFromBase64(pair.slice(at + 1));
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
      return { keyId, publicKey: publicKeyToBase64(key) };
    });
}

/** How commands live: expiry, the ack timeout that starts at delivery, retries with backoff. */
export interface CommandPolicy {
  ttlSeconds: number;
  ackTimeoutSeconds: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
}

/**
 * How failed logins slow down (apps/cloud/src/auth/login-throttle.service.ts): the failures each
 * counter lets through before every further failure locks it for a delay that doubles from
 * `backoffBaseMs` up to `backoffMaxMs`; a counter is forgotten `failureWindowSeconds` after its last
 * failure (and lock).
 */
export interface LoginThrottlePolicy {
  maxFailuresPerEmailAndSource: number;
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  failureWindowSeconds: number;
  trustedBrowserDays: number;
}

/**
 * What the retention job deletes, and how (apps/cloud/src/retention): finished commands with their
 * logs, audit entries and (when enabled) ingested events older than their window, in batches of
 * `batchSize` rows, once per `intervalSeconds` for the whole cloud.
 */
export interface RetentionPolicy {
  intervalSeconds: number;
  batchSize: number;
  commandDays: number;
  auditDays: number;
  /** null: ingested events are kept forever (the default). */
  ingestedEventDays: number | null;
}

/** The cloud's settings, validated at start; the class is both the injection token and the type. */
export class CloudConfig {
  declare readonly nodeEnv: 'development' | 'production' | 'test';
  declare readonly host: string;
  declare readonly port: number;
  declare readonly databaseUrl: string;
  declare readonly databasePoolSize: number;
  /** The write path waits at most this for a free connection, then answers 503 DATABASE_UNAVAILABLE. */
  declare readonly databaseAcquireTimeoutMs: number;
  /** One statement of the write path runs at most this (0: no bound); its connection is then dropped. */
  declare readonly databaseQueryTimeoutMs: number;
  declare readonly redisUrl: string;
  declare readonly redisPrefix: string;
  declare readonly logLevel: string;
  declare readonly authJwtSecret: string;
  /**
   * The same secret as a key object: jsonwebtoken first tries to read a string secret as a PEM
   * public key (and throws) on every call, which costs more than the HMAC itself.
   */
  declare readonly authJwtKey: KeyObject;
  /** The key new commands are signed with. */
  declare readonly commandSigningKey: CommandSigningKey;
  /** Every key a node should trust: the active one first, then keys still valid during a rotation. */
  declare readonly commandVerifyKeys: PublicKeyInfo[];
  declare readonly clusterSigningKey: KeyObject;
  declare readonly clusterPublicKeyBase64: string;
  declare readonly firstAdmin: { email: string; password: string; tenant: string } | null;
  declare readonly backofficeDir: string;
  /** A store is offline when its node's last heartbeat is older than this. */
  declare readonly nodeOfflineAfterSeconds: number;
  /** How long after a revocation the store's heartbeat answers keep carrying it to the hub. */
  declare readonly nodeRevocationNoticeSeconds: number;
  declare readonly commands: CommandPolicy;
  declare readonly reconcileIntervalSeconds: number;
  /**
   * How often each replica checks that Redis still holds the cloud's state (its marker key, the
   * job schedulers) and re-arms overdue command timers whose job is gone.
   */
  declare readonly recoverySweepSeconds: number;
  /** After SIGTERM the process exits within this, whatever is still in flight. */
  declare readonly shutdownTimeoutSeconds: number;
  /** Express's `trust proxy` (TRUST_PROXY): who may tell the client's address. */
  declare readonly trustProxy: TrustProxy;
  declare readonly loginThrottle: LoginThrottlePolicy;
  /** A revision keeps its whole state when its number is a multiple of this (and the latest always). */
  declare readonly revisionCheckpointInterval: number;
  declare readonly retention: RetentionPolicy;

  constructor(values: ConfigValues<CloudConfig>) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}

export function loadCloudConfig(source: Record<string, string | undefined> = process.env): CloudConfig {
  const e = loadConfig('cloud', cloudEnvSchema, source, cloudCrossChecks);
  const dev = e.AUTH_JWT_SECRET && e.COMMAND_SIGNING_KEY && e.CLUSTER_SIGNING_KEY ? null : loadOrCreateDevKeys(e.DEV_KEYS_FILE);
  const signingPrivate = privateKeyFromBase64(e.COMMAND_SIGNING_KEY ?? dev!.commandSigningKey);
  const commandSigningKey = signingKeyFrom(signingPrivate, e.COMMAND_SIGNING_KEY_ID);
  const activePublic = { keyId: commandSigningKey.keyId, publicKey: publicKeyToBase64(publicKeyFromPrivate(signingPrivate)) };
  const extra = e.COMMAND_VERIFY_KEYS ? parseVerifyKeys(e.COMMAND_VERIFY_KEYS).filter((k) => k.keyId !== activePublic.keyId) : [];
  const clusterSigningKey = privateKeyFromBase64(e.CLUSTER_SIGNING_KEY ?? dev!.clusterSigningKey);
  if (clusterSigningKey.asymmetricKeyType !== 'ec') throw new ConfigError('cloud', ['CLUSTER_SIGNING_KEY: must be a P-256 key']);
  return new CloudConfig({
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseAcquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
    databaseQueryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    logLevel: e.LOG_LEVEL,
    authJwtSecret: e.AUTH_JWT_SECRET ?? dev!.authJwtSecret,
    authJwtKey: createSecretKey(Buffer.from(e.AUTH_JWT_SECRET ?? dev!.authJwtSecret, 'utf8')),
    commandSigningKey,
    commandVerifyKeys: [activePublic, ...extra],
    clusterSigningKey,
    clusterPublicKeyBase64: publicKeyToBase64(publicKeyFromPrivate(clusterSigningKey)),
    firstAdmin:
      e.ADMIN_EMAIL && e.ADMIN_PASSWORD && e.ADMIN_TENANT ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD, tenant: e.ADMIN_TENANT } : null,
    backofficeDir: e.BACKOFFICE_DIR,
    nodeOfflineAfterSeconds: e.NODE_OFFLINE_AFTER_SECONDS,
    nodeRevocationNoticeSeconds: e.NODE_REVOCATION_NOTICE_SECONDS,
    commands: {
      ttlSeconds: e.COMMAND_TTL_SECONDS,
      ackTimeoutSeconds: e.COMMAND_ACK_TIMEOUT_SECONDS,
      retryBaseMs: e.COMMAND_RETRY_BASE_MS,
      retryMaxMs: e.COMMAND_RETRY_MAX_MS,
      maxAttempts: e.COMMAND_MAX_ATTEMPTS,
    },
    reconcileIntervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
    recoverySweepSeconds: e.RECOVERY_SWEEP_SECONDS,
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    loginThrottle: {
      maxFailuresPerEmailAndSource: e.LOGIN_MAX_FAILURES_PER_EMAIL_AND_SOURCE,
      maxFailuresPerEmail: e.LOGIN_MAX_FAILURES_PER_EMAIL,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      backoffBaseMs: e.LOGIN_BACKOFF_BASE_MS,
      backoffMaxMs: e.LOGIN_BACKOFF_MAX_MS,
      failureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      trustedBrowserDays: e.LOGIN_TRUSTED_BROWSER_DAYS,
    },
    revisionCheckpointInterval: e.REVISION_CHECKPOINT_INTERVAL,
    retention: {
      intervalSeconds: e.RETENTION_INTERVAL_SECONDS,
      batchSize: e.RETENTION_BATCH_SIZE,
      commandDays: e.COMMAND_RETENTION_DAYS,
      auditDays: e.AUDIT_RETENTION_DAYS,
      ingestedEventDays: e.INGESTED_EVENT_RETENTION_DAYS === 0 ? null : e.INGESTED_EVENT_RETENTION_DAYS,
    },
  });
}

function publicKeyFromPrivate(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}
