import { z } from 'zod';
import { env, loadConfig, type ConfigValues } from '@app/nest-kit';

export const agentEnvSchema = z.object({
  CLOUD_URL: env.url(['http', 'https']),
  EDGE_URL: env.url(['http', 'https']).default('http://127.0.0.1:4001'),
  BOOTSTRAP_TOKEN: z.string().min(16, 'must be the token from POST /api/v1/stores/:id/nodes/bootstrap').optional(),
  AGENT_DATA_DIR: z.string().default('./data/agent'),
  LOG_LEVEL: env.logLevel(),
});

/** The agent's settings, validated at start; the class is both the injection token and the type. */
export class AgentConfig {
  declare readonly cloudUrl: string;
  declare readonly edgeUrl: string;
  declare readonly bootstrapToken: string | null;
  declare readonly dataDir: string;
  declare readonly logLevel: string;

  constructor(values: ConfigValues<AgentConfig>) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}

export function loadAgentConfig(source: Record<string, string | undefined> = process.env): AgentConfig {
  const e = loadConfig('store-agent', agentEnvSchema, source);
  return new AgentConfig({
    cloudUrl: e.CLOUD_URL.replace(/\/+$/, ''),
    edgeUrl: e.EDGE_URL.replace(/\/+$/, ''),
    bootstrapToken: e.BOOTSTRAP_TOKEN ?? null,
    dataDir: e.AGENT_DATA_DIR,
    logLevel: e.LOG_LEVEL,
  });
}
