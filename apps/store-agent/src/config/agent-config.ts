import { hostname } from 'node:os';
import { z } from 'zod';
import { MAX_COMMAND_POLL_WAIT_SECONDS, MAX_INGEST_BATCH } from '@app/contracts';
import { env, loadConfig, type ConfigValues, type CrossCheck } from '@app/nest-kit';

const positiveMs = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1, 'must be at least 1')
    .default(fallback);

export const agentEnvSchema = z.object({
  CLOUD_URL: env.url(['http', 'https']),
  EDGE_URL: env.url(['http', 'https']).default('http://127.0.0.1:4001'),
  BOOTSTRAP_TOKEN: z.string().min(16, 'must be the token from POST /api/v1/stores/:id/nodes/bootstrap').optional(),
  AGENT_DATA_DIR: z.string().default('./data/agent'),
  AGENT_HOSTNAME: z.string().trim().min(1).max(255, 'must be at most 255 characters').optional(),
  HEARTBEAT_INTERVAL_SECONDS: env.positiveInt(15),
  COMMAND_POLL_WAIT_SECONDS: z.coerce
    .number({ error: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1')
    .max(MAX_COMMAND_POLL_WAIT_SECONDS, `must be at most ${MAX_COMMAND_POLL_WAIT_SECONDS} (the cloud's limit)`)
    .default(25),
  UPLINK_BATCH_SIZE: env.positiveInt(500).refine((n) => n <= MAX_INGEST_BATCH, `must be at most ${MAX_INGEST_BATCH} (the cloud's batch limit)`),
  UPLINK_IDLE_MS: positiveMs(200),
  DOWNLINK_INTERVAL_SECONDS: env.positiveInt(5),
  RETRY_BASE_MS: positiveMs(500),
  RETRY_MAX_MS: positiveMs(30_000),
  LOG_LEVEL: env.logLevel(),
});

const agentCrossChecks: CrossCheck[] = [
  (raw) =>
    Number(raw.RETRY_BASE_MS ?? 500) > Number(raw.RETRY_MAX_MS ?? 30_000) ? [{ variable: 'RETRY_MAX_MS', message: 'must not be below RETRY_BASE_MS' }] : [],
];

/** The agent's settings, validated at start; the class is both the injection token and the type. */
export class AgentConfig {
  declare readonly cloudUrl: string;
  declare readonly edgeUrl: string;
  declare readonly bootstrapToken: string | null;
  declare readonly dataDir: string;
  declare readonly hostname: string;
  declare readonly heartbeatIntervalMs: number;
  declare readonly commandPollWaitSeconds: number;
  declare readonly uplinkBatchSize: number;
  declare readonly uplinkIdleMs: number;
  declare readonly downlinkIntervalMs: number;
  declare readonly retryBaseMs: number;
  declare readonly retryMaxMs: number;
  declare readonly logLevel: string;

  constructor(values: ConfigValues<AgentConfig>) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}

/** Defaults for the tunables, for code (and tests) that build a config by hand. */
export const AGENT_TUNABLE_DEFAULTS = {
  heartbeatIntervalMs: 15_000,
  commandPollWaitSeconds: 25,
  uplinkBatchSize: 500,
  uplinkIdleMs: 200,
  downlinkIntervalMs: 5_000,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
} as const;

export function loadAgentConfig(source: Record<string, string | undefined> = process.env): AgentConfig {
  const e = loadConfig('store-agent', agentEnvSchema, source, agentCrossChecks);
  return new AgentConfig({
    cloudUrl: e.CLOUD_URL.replace(/\/+$/, ''),
    edgeUrl: e.EDGE_URL.replace(/\/+$/, ''),
    bootstrapToken: e.BOOTSTRAP_TOKEN ?? null,
    dataDir: e.AGENT_DATA_DIR,
    hostname: e.AGENT_HOSTNAME ?? hostname(),
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_SECONDS * 1000,
    commandPollWaitSeconds: e.COMMAND_POLL_WAIT_SECONDS,
    uplinkBatchSize: e.UPLINK_BATCH_SIZE,
    uplinkIdleMs: e.UPLINK_IDLE_MS,
    downlinkIntervalMs: e.DOWNLINK_INTERVAL_SECONDS * 1000,
    retryBaseMs: e.RETRY_BASE_MS,
    retryMaxMs: e.RETRY_MAX_MS,
    logLevel: e.LOG_LEVEL,
  });
}
