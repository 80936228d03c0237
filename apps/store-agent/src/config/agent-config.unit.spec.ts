import { ConfigError } from '@app/nest-kit';
import { loadAgentConfig } from './agent-config.js';

describe('loadAgentConfig', () => {
  it('should apply the documented defaults and trim trailing slashes', () => {
    expect(loadAgentConfig({ CLOUD_URL: 'https://cloud.example.com/' })).toEqual(
      expect.objectContaining({ cloudUrl: 'https://cloud.example.com', edgeUrl: 'http://127.0.0.1:4001', dataDir: './data/agent', bootstrapToken: null }),
    );
  });

  it('should name every bad variable in one message', () => {
    let error: unknown;
    try {
      loadAgentConfig({ EDGE_URL: 'ftp://x', BOOTSTRAP_TOKEN: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('  - CLOUD_URL: ');
    expect(message).toContain('  - EDGE_URL: must be a URL starting with http:// or https:// (got "ftp://x")');
    expect(message).toContain('  - BOOTSTRAP_TOKEN: must be the token from POST /api/v1/stores/:id/nodes/bootstrap (value hidden)');
  });
});
