import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTempDir, type TempDir } from '@app/testing';
import { CloudApi } from '../../apps/cloud/test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../apps/cloud/test/cloud-test-app.js';
import { CloudFactories } from '../../apps/cloud/test/factories.js';
import { AgentFatalError } from '../../apps/store-agent/src/common/agent-errors.js';
import { AGENT_TUNABLE_DEFAULTS, AgentConfig } from '../../apps/store-agent/src/config/agent-config.js';
import { IdentityService } from '../../apps/store-agent/src/identity/identity.service.js';

/** The agent's identity against the real cloud application (in this process, on a fresh database). */
describe(IdentityService.name, () => {
  let cloud: CloudTestApp;
  let admin: CloudApi;
  let storeId: string;
  let cloudUrl: string;
  let tmp: TempDir;

  beforeAll(async () => {
    cloud = await startCloudTestApp('agent-identity');
    await cloud.app.listen(0, '127.0.0.1');
    cloudUrl = `http://127.0.0.1:${(cloud.app.getHttpServer().address() as AddressInfo).port}`;
    const make = new CloudFactories(cloud.app);
    const tenant = await make.tenant();
    admin = new CloudApi(cloud.server).as((await make.operatorWithToken(tenant)).token);
    storeId = (await make.store(tenant)).id;
  });

  beforeEach(async () => {
    tmp = await createTempDir('agent-identity');
  });

  afterEach(() => tmp.remove());

  afterAll(() => cloud.close());

  const identityIn = (dir: string, bootstrapToken: string | null) =>
    new IdentityService(
      new AgentConfig({
        ...AGENT_TUNABLE_DEFAULTS,
        cloudUrl,
        edgeUrl: 'http://127.0.0.1:9',
        bootstrapToken,
        dataDir: dir,
        hostname: 'identity-test',
        logLevel: 'silent',
      }),
    );
  const bootstrapToken = async () => (await admin.post(`/api/v1/stores/${storeId}/nodes/bootstrap`, {}).expect(201)).body.token as string;
  const credentialsOf = (dir: string) =>
    JSON.parse(readFileSync(path.join(dir, 'credentials.json'), 'utf8')) as {
      nodeId: string;
      accessToken: string;
      accessTokenExpiresAt: string;
      agentToken: string;
    };

  describe('start', () => {
    it('should register once, keep the credentials readable by the agent only, and reuse them on the next start', async () => {
      const first = await identityIn(tmp.path, await bootstrapToken()).start();
      expect(first.storeId).toBe(storeId);
      expect(statSync(path.join(tmp.path, 'credentials.json')).mode & 0o777).toBe(0o600);
      expect(first.signingKeys.length).toBeGreaterThan(0);
      // The token is spent: a second start can only work from the stored credentials.
      const again = await identityIn(tmp.path, null).start();
      expect(again.nodeId).toBe(first.nodeId);
      expect(again.accessToken).toBe(first.accessToken);
    });

    it('should renew an access token close to its expiry before using it, and keep the renewed one', async () => {
      const registered = await identityIn(tmp.path, await bootstrapToken()).start();
      const stored = JSON.parse(readFileSync(path.join(tmp.path, 'credentials.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(path.join(tmp.path, 'credentials.json'), JSON.stringify({ ...stored, accessTokenExpiresAt: new Date(Date.now() + 10_000).toISOString() }));
      const identity = identityIn(tmp.path, null);
      await identity.start();
      const renewed = credentialsOf(tmp.path);
      expect(renewed.nodeId).toBe(registered.nodeId);
      expect(Date.parse(renewed.accessTokenExpiresAt)).toBeGreaterThan(Date.now() + 60_000);
      expect(await identity.accessToken()).toBe(renewed.accessToken);
      const heartbeat = await new CloudApi(cloud.server, renewed.accessToken).post('/api/v1/nodes/heartbeat', {
        softwareVersion: '1.0.0',
        appliedRevisions: { settings: 0, menu: 0, users: 0, roles: 0 },
        outboxDepth: 0,
        hubSeq: 0,
        cloudCursor: 0,
        edgeReachable: false,
      });
      expect(heartbeat.status).toBe(200);
    });

    it('should stop with exit code 78 on a bootstrap token already used, naming the code', async () => {
      const token = await bootstrapToken();
      await identityIn(tmp.path, token).start();
      const other = await createTempDir('agent-identity-other');
      try {
        const error = await identityIn(other.path, token)
          .start()
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AgentFatalError);
        expect(error).toEqual(expect.objectContaining({ exitCode: 78, message: expect.stringContaining('registration refused (BOOTSTRAP_TOKEN_USED)') }));
      } finally {
        await other.remove();
      }
    });
  });

  describe('renew', () => {
    it('should stop with exit code 3 once HQ revoked the node', async () => {
      const identity = identityIn(tmp.path, await bootstrapToken());
      const { nodeId } = await identity.start();
      await admin.post(`/api/v1/nodes/${nodeId}/revoke`, { reason: 'test' }).expect(200);
      const error = await identity.renew().catch((e: unknown) => e);
      expect(error).toEqual(expect.objectContaining({ exitCode: 3, message: expect.stringContaining(`node ${nodeId} was revoked by HQ`) }));
    });
  });
});
