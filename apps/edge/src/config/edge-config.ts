import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { idSchema } from '@app/contracts';
import { publicKeyFromBase64 } from '@app/crypto';
import { env, loadConfig, type ConfigValues } from '@app/nest-kit';
import { DEFAULT_MAX_LAMPORT_SKEW } from '@app/sync';

export const edgeEnvSchema = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: env.port(4001),
  TENANT_ID: idSchema,
  STORE_ID: idSchema,
  CLUSTER_PUBLIC_KEY_BASE64: z.string().refine((value) => {
    try {
      return publicKeyFromBase64(value).asymmetricKeyType === 'ec';
    } catch {
      return false;
    }
  }, 'must be base64 of the SPKI PEM of the cloud cluster key (P-256), from GET /api/v1/keys'),
  EDGE_DATA_DIR: z.string().default('./data'),
  MDNS_ENABLED: env.boolean(true),
  /** The IPv4 address of the interface mDNS runs on (and the only address it advertises). */
  MDNS_INTERFACE: z.ipv4({ error: 'must be the IPv4 address of the interface to advertise on, e.g. 192.168.1.10' }).optional(),
  LOG_LEVEL: env.logLevel(),
  /** Per-device append rate limit of the Socket.IO gateway (token bucket). */
  EDGE_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).default(500),
  EDGE_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(1000),
  /** Messages (relays, catch-up pages) waiting for one device before the hub drops that connection (it reconnects and catches up). */
  EDGE_RELAY_BACKLOG_MAX: z.coerce.number().int().min(10).default(20_000),
  /** The same bound in bytes: what one device that stopped reading may cost the hub's memory. */
  EDGE_DEVICE_BACKLOG_MAX_BYTES: z.coerce
    .number({ error: 'must be a whole number of bytes' })
    .int('must be a whole number of bytes')
    .min(1_048_576, 'must be at least 1048576 (1 MiB: a catch-up page must fit)')
    .default(16 * 1_048_576),
  /** How long after its token expired a device the hub knows may still connect (WAN down). */
  EDGE_TOKEN_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(7 * 24 * 3600),
  /**
   * Clock skew tolerated on a cluster token's `nbf` and `exp` (the cloud's clock against the hub's),
   * the same on the Socket.IO handshake and on HTTP.
   */
  EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number({ error: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0-600')
    .max(600, 'must be 0-600')
    .default(30),
  /**
   * How far ahead of the hub's Lamport clock an event may be; further is refused as INVALID. At
   * least 1,000: an honest device leads by the events it made offline, so a tiny bound would
   * refuse ordinary traffic.
   */
  EDGE_MAX_LAMPORT_SKEW: z.coerce.number().int().min(1_000).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_MAX_LAMPORT_SKEW),
  /**
   * How long the hub keeps an event the cloud already has (its seq at or below the cloud cursor)
   * before pruning it from the log; 0 keeps the whole log. Days after its append.
   */
  EDGE_LOG_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(0, 'must be 0 (keep the whole log) or more')
    .default(30),
  /** How often the prune task runs (and marks how far the log reached, which dates the events). */
  EDGE_LOG_PRUNE_INTERVAL_SECONDS: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(3_600),
  /** Events pruned per transaction: appends wait for one batch at most. */
  EDGE_LOG_PRUNE_BATCH: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(10, 'must be 10-5000')
    .max(5_000, 'must be 10-5000')
    .default(500),
  /** Tests only: every order lease lasts this many ms instead of the event's 30-60 s. */
  EDGE_LEASE_TTL_OVERRIDE_MS: z.coerce.number().int().min(1).optional(),
});

/** The edge's settings, validated at start; the class is both the injection token and the type. */
export class EdgeConfig {
  declare readonly host: string;
  declare readonly port: number;
  declare readonly tenantId: string;
  declare readonly storeId: string;
  declare readonly clusterPublicKey: KeyObject;
  declare readonly dataDir: string;
  declare readonly mdnsEnabled: boolean;
  declare readonly mdnsInterface: string | null;
  declare readonly logLevel: string;
  declare readonly rateLimitPerSecond: number;
  declare readonly rateLimitBurst: number;
  declare readonly leaseTtlOverrideMs: number | null;
  declare readonly tokenGraceSeconds: number;
  declare readonly tokenClockToleranceSeconds: number;
  declare readonly relayBacklogMax: number;
  declare readonly deviceBacklogMaxBytes: number;
  declare readonly maxLamportSkew: number;
  /** Log retention (apps/edge/src/retention): null keeps the whole log. */
  declare readonly logRetention: { days: number | null; intervalSeconds: number; batchSize: number };

  constructor(values: ConfigValues<EdgeConfig>) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}

export function loadEdgeConfig(source: Record<string, string | undefined> = process.env): EdgeConfig {
  const e = loadConfig('edge', edgeEnvSchema, source);
  return new EdgeConfig({
    host: e.HOST,
    port: e.PORT,
    tenantId: e.TENANT_ID,
    storeId: e.STORE_ID,
    clusterPublicKey: publicKeyFromBase64(e.CLUSTER_PUBLIC_KEY_BASE64),
    dataDir: e.EDGE_DATA_DIR,
    mdnsEnabled: e.MDNS_ENABLED,
    mdnsInterface: e.MDNS_INTERFACE ?? null,
    logLevel: e.LOG_LEVEL,
    rateLimitPerSecond: e.EDGE_RATE_LIMIT_PER_SECOND,
    rateLimitBurst: e.EDGE_RATE_LIMIT_BURST,
    leaseTtlOverrideMs: e.EDGE_LEASE_TTL_OVERRIDE_MS ?? null,
    tokenGraceSeconds: e.EDGE_TOKEN_GRACE_SECONDS,
    tokenClockToleranceSeconds: e.EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS,
    relayBacklogMax: e.EDGE_RELAY_BACKLOG_MAX,
    deviceBacklogMaxBytes: e.EDGE_DEVICE_BACKLOG_MAX_BYTES,
    maxLamportSkew: e.EDGE_MAX_LAMPORT_SKEW,
    logRetention: {
      days: e.EDGE_LOG_RETENTION_DAYS === 0 ? null : e.EDGE_LOG_RETENTION_DAYS,
      intervalSeconds: e.EDGE_LOG_PRUNE_INTERVAL_SECONDS,
      batchSize: e.EDGE_LOG_PRUNE_BATCH,
    },
  });
}
