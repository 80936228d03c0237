import { MAX_COMMAND_ENVELOPE_BYTES, MAX_COMMAND_PAYLOAD_BYTES, type CommandListResponse, type SettingsStateResponse } from '@app/contracts';
import { HttpProxy, LoopStack, waitFor } from '@app/testing';

/**
 * Finding 6 of issue 13, with the three apps as processes: a 2.5 MB settings revision was
 * accepted by the cloud, refused by the hub (413) on every try as a retryable INTERNAL, and
 * dead-lettered; the next settings publish then stayed PENDING behind it for good.
 *
 * Now the cloud refuses such a revision at publish. A hub can still answer 413 when something in
 * front of it takes less than the cloud sends: the proxy between agent and hub plays that, padding
 * one apply request (a signed envelope followed by whitespace) past the hub's body limit, so the
 * real hub refuses it.
 */
describe('the loop: size limits and dead letters that never block a domain', () => {
  let stack: LoopStack;
  let edgeProxy: HttpProxy;
  /** The commandId whose apply request the proxy pads past the hub's limit. */
  let padCommand: string | null = null;
  const hubAnswers: { commandId: string; status: number }[] = [];

  beforeAll(async () => {
    stack = await LoopStack.start({
      label: 'loop-limits',
      // Retryable failures would be retried 5 times; a final one is dead-lettered at the first.
      cloudEnv: { COMMAND_MAX_ATTEMPTS: '5', RECONCILE_INTERVAL_SECONDS: '3600' },
      agentEdgeUrl: async (edgeUrl) => {
        edgeProxy = await HttpProxy.start(edgeUrl);
        edgeProxy.hooks.request = (req) => {
          if (req.method !== 'POST' || req.path !== '/api/v1/commands/apply') return;
          const { commandId } = JSON.parse(req.body.toString('utf8')) as { commandId: string };
          if (commandId !== padCommand) return;
          return { ...req, body: Buffer.concat([req.body, Buffer.alloc(MAX_COMMAND_ENVELOPE_BYTES, ' ')]) };
        };
        edgeProxy.hooks.response = (req, res) => {
          if (req.path !== '/api/v1/commands/apply') return;
          hubAnswers.push({ commandId: (JSON.parse(req.body.toString('utf8')) as { commandId: string }).commandId, status: res.status });
        };
        return edgeProxy.url;
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await edgeProxy?.close();
  });

  const settingsAtEdge = async () => (await stack.edgeAsDevice()).ok<SettingsStateResponse>('GET', '/api/v1/settings');
  const commandsOfStore = async () => (await stack.admin.ok<CommandListResponse>('GET', `/api/v1/stores/${stack.storeId}/commands?limit=200`)).commands;

  it('should refuse an oversized settings revision at publish with 413 and the limit, and queue nothing', async () => {
    const { revision, commandId } = await stack.publish('settings', { values: { 'receipt.footer': 'Thank you for visiting Harbour Side Kitchen & Bar' } });
    await stack.waitForCommand(commandId, 'ACKED', 20_000);
    await waitFor(async () => (await settingsAtEdge()).revision === revision, { timeoutMs: 15_000, what: 'the first settings at the hub' });
    const before = await commandsOfStore();

    const res = await stack.admin.call('POST', `/api/v1/stores/${stack.storeId}/revisions`, {
      domain: 'settings',
      payload: { values: { 'receipt.logo': 'x'.repeat(2_500_000) } },
    });
    expect(res).toEqual({
      status: 413,
      body: expect.objectContaining({
        code: 'REVISION_TOO_LARGE',
        details: { storeId: stack.storeId, domain: 'settings', part: 'payload', sizeBytes: expect.any(Number), limitBytes: MAX_COMMAND_PAYLOAD_BYTES },
      }),
    });
    expect(await commandsOfStore()).toEqual(before);
    const latest = await stack.admin.ok<{ domains: { settings: { desiredRevision: number } } }>('GET', `/api/v1/stores/${stack.storeId}/revisions/latest`);
    expect(latest.domains.settings.desiredRevision).toBe(revision);
  });

  it(
    'should dead-letter at once with PAYLOAD_TOO_LARGE a command the hub refuses for its size, and let the next publish of the domain ' + 'reach ACKED',
    async () => {
      const refused = await stack.publish('settings', { values: { 'receipt.header': 'Harbour Side — Pier 39' } });
      padCommand = refused.commandId;
      const dead = await stack.waitForCommand(refused.commandId, 'DEAD_LETTER', 20_000);
      expect(dead).toEqual(expect.objectContaining({ attempts: 1, lastErrorCode: 'PAYLOAD_TOO_LARGE' }));
      expect(dead.lastErrorDetail).toContain('edge answered 413 PAYLOAD_TOO_LARGE');
      expect(dead.logs.filter((l) => l.event === 'ACK_FAILED')).toEqual([
        expect.objectContaining({ toStatus: 'DEAD_LETTER', errorCode: 'PAYLOAD_TOO_LARGE', attempt: 1 }),
      ]);
      expect(hubAnswers.filter((a) => a.commandId === refused.commandId)).toEqual([{ commandId: refused.commandId, status: 413 }]);
      expect((await settingsAtEdge()).values['receipt.header']).toBeUndefined();

      // The next publish of the domain supersedes the dead letter and carries its change too.
      const next = await stack.publish('settings', { values: { 'tables.count': 24 } });
      const acked = await stack.waitForCommand(next.commandId, 'ACKED', 20_000);
      expect(acked).toEqual(
        expect.objectContaining({ type: 'SETTINGS_SNAPSHOT', revision: next.revision, appliedRevision: next.revision, baseRevision: null }),
      );
      expect((await stack.command(refused.commandId)).status).toBe('SUPERSEDED');
      const settings = await settingsAtEdge();
      expect(settings).toEqual({
        revision: next.revision,
        values: expect.objectContaining({
          'receipt.footer': 'Thank you for visiting Harbour Side Kitchen & Bar',
          'receipt.header': 'Harbour Side — Pier 39',
          'tables.count': 24,
        }),
      });
      // And the domain goes on with patches.
      const after = await stack.publish('settings', { values: { 'tables.count': 30 } });
      expect(await stack.waitForCommand(after.commandId, 'ACKED', 20_000)).toEqual(
        expect.objectContaining({ type: 'SETTINGS_PATCH', baseRevision: next.revision }),
      );
    },
  );
});
