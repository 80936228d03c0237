import { ConfigError } from '@app/nest-kit';
import { loadAgentConfig } from './agent-config.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadAgentConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('loadAgentConfig', () => {
  it('should apply the documented defaults and trim trailing slashes', () => {
    expect(loadAgentConfig({ CLOUD_URL: 'https://cloud.example.com/' })).toEqual(
      expect.objectContaining({
        cloudUrl: 'https://cloud.example.com',
        edgeUrl: 'http://127.0.0.1:4001',
        dataDir: './data/agent',
        bootstrapToken: null,
        heartbeatIntervalMs: 15_000,
        commandPollWaitSeconds: 25,
        uplinkBatchSize: 500,
        uplinkIdleMs: 200,
        downlinkIntervalMs: 5_000,
        retryBaseMs: 500,
        retryMaxMs: 30_000,
      }),
    );
  });

  it('should read the tunables', () => {
    const config = loadAgentConfig({
      CLOUD_URL: 'http://c',
      AGENT_HOSTNAME: 'box-1',
      HEARTBEAT_INTERVAL_SECONDS: '2',
      COMMAND_POLL_WAIT_SECONDS: '5',
      UPLINK_BATCH_SIZE: '100',
      UPLINK_IDLE_MS: '50',
      DOWNLINK_INTERVAL_SECONDS: '1',
      RETRY_BASE_MS: '10',
      RETRY_MAX_MS: '100',
    });
    expect(config).toEqual(
      expect.objectContaining({
        hostname: 'box-1',
        heartbeatIntervalMs: 2_000,
        commandPollWaitSeconds: 5,
        uplinkBatchSize: 100,
        uplinkIdleMs: 50,
        downlinkIntervalMs: 1_000,
        retryBaseMs: 10,
        retryMaxMs: 100,
      }),
    );
  });

  it('should name every bad variable in one message', () => {
    const message = problemsOf({ EDGE_URL: 'ftp://x', BOOTSTRAP_TOKEN: 'short' });
    expect(message).toContain('  - CLOUD_URL: ');
    expect(message).toContain('  - EDGE_URL: must be a URL starting with http:// or https:// (got "ftp://x")');
    expect(message).toContain('  - BOOTSTRAP_TOKEN: must be the token from POST /api/v1/stores/:id/nodes/bootstrap (value hidden)');
  });

  it('should refuse tunables outside what the cloud accepts', () => {
    const message = problemsOf({
      CLOUD_URL: 'http://c',
      COMMAND_POLL_WAIT_SECONDS: '31',
      UPLINK_BATCH_SIZE: '1001',
      HEARTBEAT_INTERVAL_SECONDS: '0',
      RETRY_BASE_MS: '500',
      RETRY_MAX_MS: '100',
    });
    expect(message).toContain("COMMAND_POLL_WAIT_SECONDS: must be at most 30 (the cloud's limit)");
    expect(message).toContain("UPLINK_BATCH_SIZE: must be at most 1000 (the cloud's batch limit)");
    expect(message).toContain('HEARTBEAT_INTERVAL_SECONDS: must be at least 1');
    expect(message).toContain('RETRY_MAX_MS: must not be below RETRY_BASE_MS');
  });
});
