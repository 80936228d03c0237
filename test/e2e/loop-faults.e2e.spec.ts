import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandDetailView, CommandEnvelope, EdgeAuditPage, MenuStateResponse, SettingsStateResponse } from '@app/contracts';
import { generateEd25519KeyPair, generateEs256KeyPair, signCommand, signingKeyFrom } from '@app/crypto';
import { HttpProxy, JsonClient, LoopStack, createTempDir, makeMenuItem, startAppProcess, waitFor } from '@app/testing';

type Tamper = (command: CommandEnvelope) => CommandEnvelope;

const cloudKey = generateEd25519KeyPair();
const CLOUD_KEY_ID = 'loop-faults-k1';

/** Signs like the cloud does, with the cloud's own key: a valid signature over whatever the test chose. */
function resign(command: CommandEnvelope, changes: Partial<CommandEnvelope>, key = signingKeyFrom(cloudKey.privateKey, CLOUD_KEY_ID)): CommandEnvelope {
  const { signature: _signature, keyId: _keyId, ...unsigned } = { ...command, ...changes };
  return signCommand(unsigned, key);
}

/**
 * What the agent refuses and how the cloud shows it, with the three apps as processes. A proxy
 * between agent and cloud changes the next delivered command (forged, re-signed for another store,
 * expired, signed with a key nobody published, replayed); the cloud's signing key is the test's own
 * so it can make valid signatures over bad content.
 */
describe('the loop: refused commands, dead letters and node identity', () => {
  let stack: LoopStack;
  let cloudProxy: HttpProxy;
  let nextTamper: Tamper | null = null;
  let replay: CommandEnvelope | null = null;
  const delivered: CommandEnvelope[] = [];
  const tampered: CommandEnvelope[] = [];

  beforeAll(async () => {
    stack = await LoopStack.start({
      label: 'loop-faults',
      cloudEnv: {
        COMMAND_SIGNING_KEY: cloudKey.privateKeyBase64,
        COMMAND_SIGNING_KEY_ID: CLOUD_KEY_ID,
        COMMAND_MAX_ATTEMPTS: '2',
        COMMAND_ACK_TIMEOUT_SECONDS: '3',
      },
      agentCloudUrl: async (cloudUrl) => {
        cloudProxy = await HttpProxy.start(cloudUrl);
        cloudProxy.hooks.response = (req, res) => {
          if (!req.path.startsWith('/api/v1/nodes/commands') || res.status !== 200) return;
          const body = JSON.parse(res.body.toString('utf8')) as { commands: CommandEnvelope[] };
          delivered.push(...body.commands);
          if (body.commands.length > 0 && nextTamper) {
            const tamper = nextTamper;
            nextTamper = null;
            body.commands = body.commands.map(tamper);
            tampered.push(...body.commands);
          }
          if (replay) {
            body.commands.push(replay);
            replay = null;
          }
          return { ...res, body: Buffer.from(JSON.stringify(body)) };
        };
        return cloudProxy.url;
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await cloudProxy?.close();
  });

  async function edgeAudit(): Promise<EdgeAuditPage['entries']> {
    return (await agentOnEdge().ok<EdgeAuditPage>('GET', '/api/v1/audit?limit=1000')).entries;
  }

  /** The agent's cluster token, as the agent calls the hub with it. */
  function agentOnEdge(): JsonClient {
    const { agentToken } = JSON.parse(readFileSync(path.join(stack.agentDataDir, 'credentials.json'), 'utf8')) as { agentToken: string };
    return new JsonClient(stack.edgeUrl, agentToken);
  }

  /**
   * The hub's own answer to the envelope the agent refused: the two run the same check, so the
   * same envelope must get the same code and message from both.
   */
  async function expectHubAgrees(command: CommandDetailView): Promise<void> {
    const envelope = tampered.find((c) => c.commandId === command.commandId)!;
    expect(envelope).toBeDefined();
    const headers: Record<string, string> = envelope.baseRevision === null ? {} : { 'if-match': String(envelope.baseRevision) };
    const res = await agentOnEdge().call('POST', '/api/v1/commands/apply', envelope, headers);
    // (An expiry names each side's clock at the moment it looked.)
    const clockless = (message: string | null | undefined) => message?.replace(/\(clock here [^)]+\)/, '(clock here)');
    const body = res.body as { code?: string; message?: string };
    expect({ status: res.status, code: body.code, message: clockless(body.message) }).toEqual({
      status: 422,
      code: command.lastErrorCode,
      message: clockless(command.lastErrorDetail),
    });
  }

  async function edgeMenuRevision(): Promise<number> {
    return (await (await stack.edgeAsDevice()).ok<MenuStateResponse>('GET', '/api/v1/menu')).revision;
  }

  /** Publishes a menu change whose delivery the proxy changes; waits for the cloud to dead-letter it. */
  async function publishTampered(tamper: Tamper, sku: string): Promise<{ command: CommandDetailView; revision: number }> {
    const before = await edgeMenuRevision();
    nextTamper = tamper;
    const { commandId, revision } = await stack.publish('menu', { items: [makeMenuItem({ sku, name: sku, priceCents: 500 })] });
    const command = await stack.waitForCommand(commandId, 'DEAD_LETTER');
    expect(await edgeMenuRevision()).toBe(before);
    await expectHubAgrees(command);
    return { command, revision };
  }

  /** A support retry (through the cloud API) of a dead letter whose cause is gone: it is applied. */
  async function retryUntilAcked(commandId: string, revision: number): Promise<void> {
    // (The answer is read after the retry commits: the agent may already hold the command again.)
    await stack.admin.ok('POST', `/api/v1/commands/${commandId}/retry`, { reason: 'cause fixed' });
    const acked = await stack.waitForCommand(commandId, 'ACKED');
    expect(acked.appliedRevision).toBe(revision);
    expect(acked.logs).toEqual(expect.arrayContaining([expect.objectContaining({ fromStatus: 'DEAD_LETTER', toStatus: 'PENDING', actorType: 'OPERATOR' })]));
    expect(await edgeMenuRevision()).toBe(revision);
  }

  describe('refused commands', () => {
    it('should refuse a forged command (content changed after signing) and the cloud should show SIGNATURE_INVALID', async () => {
      const { command, revision } = await publishTampered(
        (c) => ({ ...c, payload: { items: [makeMenuItem({ sku: 'FREE-1', name: 'Free', priceCents: 0 })] } }),
        'FORGED-1',
      );
      expect(command).toEqual(
        expect.objectContaining({ lastErrorCode: 'SIGNATURE_INVALID', lastErrorDetail: `signature does not match key '${CLOUD_KEY_ID}'` }),
      );
      expect(command.logs).toEqual(expect.arrayContaining([expect.objectContaining({ toStatus: 'DEAD_LETTER', errorCode: 'SIGNATURE_INVALID' })]));
      await retryUntilAcked(command.commandId, revision);
    });

    it('should refuse a command signed with a key the cloud never published, after refreshing its keys, as UNKNOWN_KEY', async () => {
      const stranger = signingKeyFrom(generateEd25519KeyPair().privateKey, 'stranger-key');
      const { command, revision } = await publishTampered((c) => resign(c, {}, stranger), 'STRANGER-1');
      expect(command).toEqual(expect.objectContaining({ lastErrorCode: 'UNKNOWN_KEY', lastErrorDetail: "key 'stranger-key' is not trusted" }));
      expect(stack.agent!.output()).toContain('refreshing the keys');
      await retryUntilAcked(command.commandId, revision);
    });

    it("should refuse another store's command, validly signed, as WRONG_STORE", async () => {
      const other = await stack.admin.ok<{ id: string }>('POST', '/api/v1/stores', { code: 'L999', name: 'Another store' });
      const { command, revision } = await publishTampered((c) => resign(c, { storeId: other.id }), 'OTHER-1');
      expect(command.lastErrorCode).toBe('WRONG_STORE');
      expect(command.lastErrorDetail).toContain(`command is for store '${other.id}'`);
      await retryUntilAcked(command.commandId, revision);
    });

    it('should refuse a malformed command of another store, validly signed, as INVALID_PAYLOAD at the agent and the hub alike', async () => {
      // Before one shared check the agent looked at the store first (WRONG_STORE), the hub at the structure first.
      const other = await stack.admin.ok<{ id: string }>('POST', '/api/v1/stores', { code: 'L998', name: 'A store whose command is malformed' });
      const { command, revision } = await publishTampered((c) => resign(c, { storeId: other.id, baseRevision: null }), 'MALFORMED-1');
      expect(command.lastErrorCode).toBe('INVALID_PAYLOAD');
      expect(command.lastErrorDetail).toContain('baseRevision');
      await retryUntilAcked(command.commandId, revision);
    });

    it('should refuse a command of a domain this store version lacks as UNKNOWN_DOMAIN, at once and at the hub alike, and the loop goes on', async () => {
      // A newer cloud's domain reaching an older agent and hub: final, so it never blocks the loop.
      const { command, revision } = await publishTampered(
        (c) => resign(c, { domain: 'features' as never, type: 'FEATURES_PATCH' as never, payload: { flags: { kiosk: true } } }),
        'NEWER-DOMAIN-1',
      );
      expect(command).toEqual(
        expect.objectContaining({
          lastErrorCode: 'UNKNOWN_DOMAIN',
          attempts: 1,
          lastErrorDetail: expect.stringContaining("does not know the domain 'features'"),
        }),
      );
      await retryUntilAcked(command.commandId, revision);
    });

    it('should refuse an expired command, validly signed, as EXPIRED', async () => {
      const { command, revision } = await publishTampered(
        (c) => resign(c, { issuedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-02T00:00:00.000Z' }),
        'EXPIRED-1',
      );
      expect(command.lastErrorCode).toBe('EXPIRED');
      expect(command.lastErrorDetail).toContain('command expired at 2026-01-02T00:00:00.000Z');
      await retryUntilAcked(command.commandId, revision);
    });

    it('should answer a replayed command with its earlier result and never apply it twice', async () => {
      const acked = delivered.find((c) => c.payload && JSON.stringify(c.payload).includes('EXPIRED-1'))!;
      const appliedBefore = (await edgeAudit()).filter((e) => e.action === 'command.applied' && e.target === acked.commandId);
      expect(appliedBefore).toHaveLength(1);
      replay = acked;
      // Something new to deliver, so the poll answers at once and carries the replay with it.
      const next = await stack.publish('menu', { items: [makeMenuItem({ sku: 'AFTER-REPLAY', name: 'After', priceCents: 100 })] });
      await stack.waitForCommand(next.commandId, 'ACKED');
      await waitFor(() => stack.agent!.output().includes(`command ${acked.commandId} (seq ${acked.seq}) was applied before`), {
        what: 'the agent to see the replay',
      });
      expect((await edgeAudit()).filter((e) => e.action === 'command.applied' && e.target === acked.commandId)).toHaveLength(1);
      expect((await stack.command(acked.commandId)).status).toBe('ACKED');
      // The hub answers the same replay with the same earlier result.
      const res = await agentOnEdge().call('POST', '/api/v1/commands/apply', acked, { 'if-match': String(acked.baseRevision) });
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: { commandId: acked.commandId, appliedRevision: acked.revision, alreadyApplied: true },
      });
    });

    it('should not apply a validly signed command that reuses the seq of one already applied', async () => {
      const acked = delivered.find((c) => JSON.stringify(c.payload).includes('AFTER-REPLAY'))!;
      const impostor = resign(acked, {
        commandId: '01a1fe00-0000-7000-8000-00000000beef',
        payload: { items: [makeMenuItem({ sku: 'SEQ-REPLAY', name: 'Replay', priceCents: 1 })] },
      });
      replay = impostor;
      const next = await stack.publish('menu', { items: [makeMenuItem({ sku: 'AFTER-SEQ-REPLAY', name: 'After', priceCents: 100 })] });
      await stack.waitForCommand(next.commandId, 'ACKED');
      await waitFor(() => stack.agent!.output().includes(`command ${impostor.commandId} (seq ${acked.seq}) was applied before as ${acked.commandId}`), {
        what: 'the agent to see the seq replay',
      });
      expect((await edgeAudit()).filter((e) => e.action === 'command.applied' && e.target === impostor.commandId)).toEqual([]);
      const menu = await (await stack.edgeAsDevice()).ok<MenuStateResponse>('GET', '/api/v1/menu');
      expect(menu.items.map((i) => i.sku)).not.toContain('SEQ-REPLAY');
    });
  });

  describe('dead letter', () => {
    it('should dead-letter a command that fails on every attempt, and a support retry after the fix should make it ACKED', async () => {
      // The hub is restarted with a cluster key that is not the cloud's: it refuses the agent's token.
      await stack.edge.stop();
      await stack.startEdge({ CLUSTER_PUBLIC_KEY_BASE64: generateEs256KeyPair().publicKeyBase64 });
      const { commandId, revision } = await stack.publish('settings', { values: { 'receipt.footer': 'Dead letter first' } });
      const dead = await stack.waitForCommand(commandId, 'DEAD_LETTER', 30_000);
      expect(dead).toEqual(expect.objectContaining({ attempts: 2, lastErrorCode: 'INTERNAL' }));
      expect(dead.lastErrorDetail).toContain('edge answered 401');
      expect(dead.logs.filter((l) => l.errorCode === 'INTERNAL').length).toBe(2);

      await stack.edge.stop();
      await stack.startEdge();
      await stack.admin.ok('POST', `/api/v1/commands/${commandId}/retry`, { reason: 'hub key fixed' });
      expect((await stack.waitForCommand(commandId, 'ACKED', 20_000)).appliedRevision).toBe(revision);
      const settings = await (await stack.edgeAsDevice()).ok<SettingsStateResponse>('GET', '/api/v1/settings');
      expect(settings).toEqual(expect.objectContaining({ revision, values: expect.objectContaining({ 'receipt.footer': 'Dead letter first' }) }));
    });
  });

  describe('key rotation', () => {
    it('should apply a command signed with a new key: the agent fetches the new keys and hands them to the hub', async () => {
      const newKey = generateEd25519KeyPair();
      await stack.cloud.stop();
      await stack.startCloud({
        COMMAND_SIGNING_KEY: newKey.privateKeyBase64,
        COMMAND_SIGNING_KEY_ID: 'loop-faults-k2',
        COMMAND_VERIFY_KEYS: `${CLOUD_KEY_ID}=${cloudKey.publicKeyBase64}`,
      });
      const { commandId, revision } = await stack.publish('menu', { items: [makeMenuItem({ sku: 'ROTATED-1', name: 'Rotated', priceCents: 700 })] });
      expect((await stack.waitForCommand(commandId, 'ACKED', 20_000)).appliedRevision).toBe(revision);
      expect(delivered.find((c) => c.commandId === commandId)?.keyId).toBe('loop-faults-k2');
      const { agentToken } = JSON.parse(readFileSync(path.join(stack.agentDataDir, 'credentials.json'), 'utf8')) as { agentToken: string };
      const trusted = await new JsonClient(stack.edgeUrl, agentToken).ok<{ keyIds: string[] }>('GET', '/api/v1/trust/signing-keys');
      expect(trusted.keyIds.sort()).toEqual([CLOUD_KEY_ID, 'loop-faults-k2'].sort());
    });
  });

  describe('node identity', () => {
    it('should stop with exit code 78 and say so when it has no credentials and no bootstrap token', async () => {
      const dir = await createTempDir('agent-no-token');
      try {
        const agent = await startAppProcess({
          name: 'agent-bare',
          entry: 'dist/apps/store-agent/src/main.js',
          env: { CLOUD_URL: stack.cloudUrl, EDGE_URL: stack.edgeUrl, AGENT_DATA_DIR: dir.path },
        });
        expect(await agent.exited).toBe(78);
        expect(agent.output()).toContain('no credentials in');
        expect(agent.output()).toContain('no BOOTSTRAP_TOKEN');
      } finally {
        await dir.remove();
      }
    });

    it('should stop with exit code 78 and say so when its bootstrap token was already used', async () => {
      const dir = await createTempDir('agent-used-token');
      try {
        const agent = await startAppProcess({
          name: 'agent-used',
          entry: 'dist/apps/store-agent/src/main.js',
          env: { CLOUD_URL: stack.cloudUrl, EDGE_URL: stack.edgeUrl, AGENT_DATA_DIR: dir.path, BOOTSTRAP_TOKEN: stack.bootstrapToken },
        });
        expect(await agent.exited).toBe(78);
        expect(agent.output()).toContain('registration refused (BOOTSTRAP_TOKEN_USED)');
      } finally {
        await dir.remove();
      }
    });

    it('should stop with exit code 3 and say why when HQ revokes the node', async () => {
      const { nodes } = await stack.admin.ok<{ nodes: { id: string; status: string }[] }>('GET', `/api/v1/stores/${stack.storeId}/nodes`);
      const active = nodes.find((n) => n.status === 'ACTIVE')!;
      await stack.admin.ok('POST', `/api/v1/nodes/${active.id}/revoke`, { reason: 'box stolen' });
      expect(await stack.agent!.exited).toBe(3);
      expect(stack.agent!.output()).toContain(`store agent stopped: node ${active.id} was revoked by HQ`);
      // And it stays stopped: a restart with the stored credentials ends the same way.
      const again = await stack.startAgent({}, { waitRunning: false });
      expect(await again.exited).toBe(3);
      expect(again.output()).toMatch(/was revoked by HQ \(this node was revoked: box stolen\)/);
    });
  });
});
