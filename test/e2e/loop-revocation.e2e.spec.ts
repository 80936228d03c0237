import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { EdgeAuditPage, EdgeStatus } from '@app/contracts';
import { HttpProxy, JsonClient, LoopStack, waitFor } from '@app/testing';

interface NodeCredentials {
  nodeId: string;
  agentToken: string;
}

const credentialsIn = (dataDir: string) => JSON.parse(readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as NodeCredentials;

/** Resolves with the handshake's outcome: 'connected' or the connect_error message. */
function connect(url: string, token: string): Promise<{ socket: Socket; outcome: string }> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, auth: { token } });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, outcome: 'connected' }));
    socket.once('connect_error', (error) => resolve({ socket, outcome: error.message }));
  });
}

/**
 * A revoked node's agent token at its hub, with the three apps as processes. The revoked agents
 * here are dishonest: a proxy in front of the hub swallows their own report (`.../revocations/self`),
 * as a stolen box or a copied token would. The hub must learn the revocation from the cloud,
 * through the store's replacement node's heartbeat, and refuse the token within 5 s of that.
 */
describe('the loop: a revoked node at its hub', () => {
  let stack: LoopStack;
  let edgeProxy: HttpProxy;
  let blockSelfReports = true;
  const selfReports: string[] = [];
  const measured: string[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await LoopStack.start({
      label: 'loop-revocation',
      agentEdgeUrl: async (edgeUrl) => {
        edgeProxy = await HttpProxy.start(edgeUrl);
        edgeProxy.hooks.request = (req) => {
          if (req.path !== '/api/v1/trust/revocations/self') return;
          selfReports.push(req.headers.authorization ?? '');
          if (blockSelfReports) throw new Error('a dishonest agent never tells its hub');
        };
        return edgeProxy.url;
      },
    });
  }, 90_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    // The process records every figure; the lead reads them in the test output.
    if (measured.length > 0) process.stdout.write(`${measured.join('\n')}\n`);
    await stack?.close();
    await edgeProxy?.close();
  });

  const hubAs = (token: string) => new JsonClient(stack.edgeUrl, token);

  /** The hub with `token`: 200 or 401 for the outbox read (the uplink's own route). */
  async function outboxStatus(token: string): Promise<number> {
    const res = await fetch(`${stack.edgeUrl}/api/v1/outbox?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return res.status;
  }

  async function moveCursorStatus(token: string): Promise<number> {
    const status = await hubAs(token).ok<EdgeStatus>('GET', '/status');
    const res = await fetch(`${stack.edgeUrl}/api/v1/outbox/cursor`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cursor: status.cloudCursor }),
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** Polls the hub every few ms with the old token until it is refused; the time it was first refused. */
  async function refusedAt(token: string, timeoutMs = 30_000): Promise<number> {
    return waitFor(async () => ((await outboxStatus(token)) === 401 ? Date.now() : undefined), {
      timeoutMs,
      intervalMs: 5,
      what: 'the hub to refuse the revoked token',
    });
  }

  /** When the hub recorded the revocation of `nodeId` (its audit entry), by the hub's clock (same machine). */
  async function reachedAt(nodeId: string, asToken: string): Promise<number> {
    const page = await hubAs(asToken).ok<EdgeAuditPage>('GET', '/api/v1/audit?limit=100');
    const entry = page.entries.find((e) => e.action === 'trust.revocations.applied' && ((e.details?.revoked as string[] | undefined) ?? []).includes(nodeId));
    if (!entry) throw new Error(`no revocation of ${nodeId} in the hub's audit`);
    return Date.parse(entry.at);
  }

  async function startReplacement(name: string): Promise<NodeCredentials> {
    const { token } = await stack.admin.ok<{ token: string }>('POST', `/api/v1/stores/${stack.storeId}/nodes/bootstrap`, {});
    const dataDir = path.join(stack.tmp.path, name);
    await stack.startAgent({ BOOTSTRAP_TOKEN: token, AGENT_HOSTNAME: `${name}-box` }, { dataDir });
    return credentialsIn(dataDir);
  }

  it("should refuse the old agent token within 5 s of the replacement node's heartbeat bringing the admin's revocation", async () => {
    const old = credentialsIn(stack.agentDataDir);
    const oldAgent = stack.agent!;
    expect(await outboxStatus(old.agentToken)).toBe(200);
    expect(await moveCursorStatus(old.agentToken)).toBe(200);
    const held = await connect(stack.edgeUrl, old.agentToken);
    sockets.push(held.socket);
    expect(held.outcome).toBe('connected');
    const dropped = new Promise<string>((resolve) => held.socket.once('disconnect', resolve));

    const revokedAt = Date.now();
    await stack.admin.ok('POST', `/api/v1/nodes/${old.nodeId}/revoke`, { reason: 'edge box reported stolen from the back office' });
    // The revoked agent learns it from the cloud and stops (exit 3); its report to the hub is swallowed.
    expect(await oldAgent.exited).toBe(3);
    expect(selfReports).toHaveLength(1);
    // Nothing else has told the hub yet: a copy of the token still opens it.
    expect(await outboxStatus(old.agentToken)).toBe(200);

    const replacement = await startReplacement('replacement-1');
    const refused = await refusedAt(old.agentToken);
    const reached = await reachedAt(old.nodeId, replacement.agentToken);
    measured.push(`revocation (admin API) -> refused by the hub: ${refused - revokedAt} ms; reached the hub -> refused: ${refused - reached} ms`);
    expect(refused - reached).toBeLessThanOrEqual(5_000);

    expect(await moveCursorStatus(old.agentToken)).toBe(401);
    expect(await dropped).toBe('io server disconnect');
    const again = await connect(stack.edgeUrl, old.agentToken);
    sockets.push(again.socket);
    expect(again.outcome).toBe('unauthorized');
    // Everyone else carries on: the replacement agent and the store's devices.
    expect(await outboxStatus(replacement.agentToken)).toBe(200);
    expect(await moveCursorStatus(replacement.agentToken)).toBe(200);
    await (await stack.edgeAsDevice()).ok('GET', '/api/v1/orders');
    const till = await connect(stack.edgeUrl, await stack.deviceToken('till-front-01'));
    sockets.push(till.socket);
    expect(till.outcome).toBe('connected');
  }, 90_000);

  it('should refuse the token of a node replaced by a new registration while its agent still runs', async () => {
    const old = credentialsIn(path.join(stack.tmp.path, 'replacement-1'));
    const oldAgent = stack.agent!;
    expect(await outboxStatus(old.agentToken)).toBe(200);
    const replacedAt = Date.now();
    const next = await startReplacement('replacement-2');
    const refused = await refusedAt(old.agentToken);
    const reached = await reachedAt(old.nodeId, next.agentToken);
    measured.push(`replacement registration -> refused by the hub: ${refused - replacedAt} ms; reached the hub -> refused: ${refused - reached} ms`);
    expect(refused - reached).toBeLessThanOrEqual(5_000);
    expect(await oldAgent.exited).toBe(3);
    expect(await outboxStatus(next.agentToken)).toBe(200);
    // The first node stays refused: the list carries every recent revocation of the store.
    expect(await outboxStatus(credentialsIn(stack.agentDataDir).agentToken)).toBe(401);
  }, 90_000);

  it('should let an honest revoked agent lock its own token out at once, with no replacement node', async () => {
    blockSelfReports = false;
    const current = credentialsIn(path.join(stack.tmp.path, 'replacement-2'));
    const agent = stack.agent!;
    const revokedAt = Date.now();
    await stack.admin.ok('POST', `/api/v1/nodes/${current.nodeId}/revoke`, { reason: 'decommissioned' });
    const refused = await refusedAt(current.agentToken);
    measured.push(`honest agent's own report: revocation -> refused by the hub: ${refused - revokedAt} ms`);
    expect(await agent.exited).toBe(3);
    expect(selfReports.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
