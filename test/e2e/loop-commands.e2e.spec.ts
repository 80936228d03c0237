import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EdgeAuditPage, MenuStateResponse, RolesStateResponse, SettingsStateResponse, StateChanged, UsersStateResponse } from '@app/contracts';
import { HubClient } from '@app/device-client';
import { HttpProxy, JsonClient, LoopStack, makeMenuItem, makeStoreRole, makeStoreUser, waitFor } from '@app/testing';

/**
 * Config down, with the three apps as processes: operators publish, the agent verifies and applies
 * through the hub, devices see the change, the cloud sees the ack. The agent reaches the hub
 * through a proxy the test can hold requests in (for the crash in the middle of an apply).
 */
describe('the loop: commands from the cloud to the store', () => {
  let stack: LoopStack;
  let edgeProxy: HttpProxy;
  let device: HubClient;
  const changes: StateChanged[] = [];

  beforeAll(async () => {
    stack = await LoopStack.start({
      label: 'loop-commands',
      cloudEnv: { COMMAND_ACK_TIMEOUT_SECONDS: '2' },
      agentEdgeUrl: async (edgeUrl) => (edgeProxy = await HttpProxy.start(edgeUrl)).url,
    });
    device = new HubClient({
      url: stack.edgeUrl,
      token: await stack.deviceToken('till-1'),
      deviceId: 'till-1',
      tenantId: stack.tenantId,
      storeId: stack.storeId,
    });
    device.on('state.changed', (change) => changes.push(change));
    await device.connect();
  });

  afterAll(async () => {
    device?.close();
    await stack?.close();
    await edgeProxy?.close();
  });

  /** The hub's audit trail, read with the agent's own token (the route is the agent's). */
  async function edgeAudit(): Promise<EdgeAuditPage['entries']> {
    const { agentToken } = JSON.parse(readFileSync(path.join(stack.agentDataDir, 'credentials.json'), 'utf8')) as { agentToken: string };
    return (await new JsonClient(stack.edgeUrl, agentToken).ok<EdgeAuditPage>('GET', '/api/v1/audit?limit=1000')).entries;
  }

  describe('registration', () => {
    it('should have registered the node with the bootstrap token and kept its credentials readable by the agent only', async () => {
      expect(statSync(path.join(stack.agentDataDir, 'credentials.json')).mode & 0o777).toBe(0o600);
      const store = await stack.admin.ok<{ node: { hostname: string; status: string } | null }>('GET', `/api/v1/stores/${stack.storeId}`);
      expect(store.node).toEqual(expect.objectContaining({ hostname: 'loop-commands-box', status: 'ACTIVE' }));
    });
  });

  describe('publish', () => {
    it('should serve a published menu change at the edge within 2 s, tell the devices, and show the command ACKED in the cloud', async () => {
      const published = Date.now();
      const { revision, commandId } = await stack.publish('menu', { items: [makeMenuItem({ sku: 'BURGER-1', name: 'Burger', priceCents: 1250 })] });
      const edge = await stack.edgeAsDevice();
      const menu = await waitFor(
        async () => {
          const m = await edge.ok<MenuStateResponse>('GET', '/api/v1/menu');
          return m.revision === revision ? m : undefined;
        },
        { timeoutMs: 2_000, intervalMs: 20, what: 'the edge to serve the new menu' },
      );
      expect(menu.items).toEqual([expect.objectContaining({ sku: 'BURGER-1', name: 'Burger', priceCents: 1250 })]);
      await waitFor(() => changes.some((c) => c.domain === 'menu' && c.revision === revision), {
        timeoutMs: 2_000 - (Date.now() - published),
        what: 'state.changed at the device',
      });

      const command = await stack.waitForCommand(commandId, 'ACKED');
      expect(command).toEqual(expect.objectContaining({ appliedRevision: revision, lastErrorCode: null }));
      const latest = await stack.admin.ok<{ domains: Record<string, { desiredRevision: number; appliedRevision: number }> }>(
        'GET',
        `/api/v1/stores/${stack.storeId}/revisions/latest`,
      );
      expect(latest.domains.menu).toEqual(expect.objectContaining({ desiredRevision: revision, appliedRevision: revision }));
    });

    it('should apply each command type and make it readable at the edge, with an audit entry for each', async () => {
      const edge = await stack.edgeAsDevice();
      const settings = await stack.publish('settings', { values: { 'receipt.footer': 'Thank you', 'tax.rate': 20 } });
      const menu = await stack.publish('menu', { items: [makeMenuItem({ sku: 'FRIES-1', name: 'Fries', priceCents: 400 })] });
      const users = await stack.publish('users', { users: [makeStoreUser({ userId: 'u-ann', displayName: 'Ann', roleIds: ['cashier'] })] });
      const roles = await stack.publish('roles', { roles: [makeStoreRole({ roleId: 'cashier', name: 'Cashier', permissions: ['orders.create'] })] });
      const commands = await Promise.all([settings, menu, users, roles].map((p) => stack.waitForCommand(p.commandId, 'ACKED')));
      expect(commands.map((c) => c.type)).toEqual(['SETTINGS_PATCH', 'MENU_UPSERT_BATCH', 'USER_UPSERT', 'ROLE_PERMISSIONS_PATCH']);

      const s = await edge.ok<SettingsStateResponse>('GET', '/api/v1/settings');
      expect(s).toEqual({ revision: settings.revision, values: expect.objectContaining({ 'receipt.footer': 'Thank you', 'tax.rate': 20 }) });
      const m = await edge.ok<MenuStateResponse>('GET', '/api/v1/menu');
      expect(m.revision).toBe(menu.revision);
      expect(m.items.map((i) => i.sku).sort()).toEqual(['BURGER-1', 'FRIES-1']);
      const u = await edge.ok<UsersStateResponse>('GET', '/api/v1/users');
      expect(u).toEqual({ revision: users.revision, users: [expect.objectContaining({ userId: 'u-ann', displayName: 'Ann', roleIds: ['cashier'] })] });
      const r = await edge.ok<RolesStateResponse>('GET', '/api/v1/roles');
      expect(r).toEqual({ revision: roles.revision, roles: [{ roleId: 'cashier', name: 'Cashier', permissions: ['orders.create'] }] });

      const applied = (await edgeAudit()).filter((e) => e.action === 'command.applied');
      for (const command of commands) {
        expect(applied.filter((e) => e.target === command.commandId)).toEqual([
          expect.objectContaining({ details: expect.objectContaining({ type: command.type, toRevision: command.revision }) }),
        ]);
      }
    });

    it('should report the applied revisions in its heartbeat', async () => {
      const store = await waitFor(async () => {
        const s = await stack.admin.ok<{
          online: boolean;
          edgeReachable: boolean | null;
          softwareVersion: string | null;
          domains: Record<string, { drift: boolean }>;
        }>('GET', `/api/v1/stores/${stack.storeId}`);
        return s.online && Object.values(s.domains).every((d) => !d.drift) ? s : undefined;
      });
      expect(store.edgeReachable).toBe(true);
      expect(store.softwareVersion).toMatch(/^\d+\.\d+\.\d+/);
      const health = JSON.parse(readFileSync(path.join(stack.agentDataDir, 'health.json'), 'utf8')) as {
        status: string;
        edgeReachable: boolean;
        cloudReachable: boolean;
      };
      expect(health).toEqual(expect.objectContaining({ status: 'ok', edgeReachable: true, cloudReachable: true }));
    });
  });

  describe('a crash in the middle of an apply', () => {
    it('should apply the command once when the agent is killed while the hub applies it, and ack it after the restart', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let arrived!: () => void;
      const applyArrived = new Promise<void>((resolve) => (arrived = resolve));
      edgeProxy.hooks.request = async (req) => {
        if (req.path === '/api/v1/commands/apply') {
          arrived();
          await held;
        }
      };
      const { revision, commandId } = await stack.publish('settings', { values: { 'receipt.footer': 'After the crash' } });
      await applyArrived;
      // The agent dies with the apply in flight; the hub then receives and applies it.
      await stack.agent!.kill9();
      release();
      const edge = await stack.edgeAsDevice();
      await waitFor(async () => (await edge.ok<SettingsStateResponse>('GET', '/api/v1/settings')).revision === revision, {
        what: 'the hub to apply the orphaned command',
      });
      edgeProxy.hooks.request = undefined;

      await stack.startAgent();
      // The cloud's ack timeout hands the command out again; the agent applies it, the hub recognises it.
      const command = await stack.waitForCommand(commandId, 'ACKED', 20_000);
      expect(command.appliedRevision).toBe(revision);
      expect(command.logs.map((l) => l.toStatus)).toEqual(expect.arrayContaining(['DELIVERED', 'PENDING', 'ACKED']));
      expect((await edgeAudit()).filter((e) => e.action === 'command.applied' && e.target === commandId)).toHaveLength(1);
      expect((await edge.ok<SettingsStateResponse>('GET', '/api/v1/settings')).values['receipt.footer']).toBe('After the crash');
    });

    it('should reuse its stored credentials on restart instead of registering again', async () => {
      expect(stack.agent!.output()).toContain('credentials loaded from');
      const nodes = await stack.admin.ok<{ nodes: unknown[] }>('GET', `/api/v1/stores/${stack.storeId}/nodes`);
      expect(nodes.nodes).toHaveLength(1);
    });
  });
});
