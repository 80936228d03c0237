import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { HUB_EVENTS, MAX_COMMAND_ENVELOPE_BYTES, MAX_COMMAND_PAYLOAD_BYTES, jsonByteLength, type CommandEnvelope, type StateChanged } from '@app/contracts';
import { generateEd25519KeyPair, generateEs256KeyPair, signClusterToken, signingKeyFrom } from '@app/crypto';
import { makeMenuItem, makeStoreRole, makeStoreUser, waitFor } from '@app/testing';
import { SQLITE, type SqliteDatabase } from '../database/sqlite-database.js';
import { startEdgeTestApp, type EdgeTestApp } from '../../test/edge-test-app.js';
import { collect, connectDevice, listenOnLoopback } from '../../test/hub-socket.js';
import { CloudSigner } from '../../test/signed-commands.js';
import { trustedCloud } from '../../test/trusted-cloud.js';

const PIN_HASH = 'scrypt$14$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g';

describe('POST /api/v1/commands/apply (edge)', () => {
  let edge: EdgeTestApp;
  let cloud: CloudSigner;
  let agent: string;

  beforeEach(async () => {
    edge = await startEdgeTestApp('commands');
    cloud = await trustedCloud(edge);
    agent = cloud.token('agent');
  });

  afterEach(async () => {
    await edge.close();
  });

  function apply(command: unknown, ifMatch?: string | number, token = agent) {
    const req = request(edge.server).post('/api/v1/commands/apply').set('Authorization', `Bearer ${token}`);
    if (ifMatch !== undefined) req.set('If-Match', String(ifMatch));
    return req.send(command as object);
  }

  function countRows(table: string): number {
    return (edge.app.get<SqliteDatabase>(SQLITE).prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  }

  const menuPatch = (revision: number, items = [makeMenuItem()]) => cloud.command('MENU_UPSERT_BATCH', { items }, { revision });

  it('should apply a patch on the revision it builds on and serve the new state', async () => {
    const res = await apply(menuPatch(1), 0).expect(200);
    expect(res.body).toEqual({ commandId: expect.any(String), appliedRevision: 1, alreadyApplied: false });
    const second = cloud.command(
      'MENU_UPSERT_BATCH',
      { items: [makeMenuItem({ sku: 'COLA', station: 'bar', category: 'Drinks' })], removeSkus: [] },
      { revision: 2 },
    );
    await apply(second, '"1"').expect(200);
    const menu = await request(edge.server)
      .get('/api/v1/menu')
      .set('Authorization', `Bearer ${cloud.token('device')}`)
      .expect(200);
    expect(menu.body).toEqual({ revision: 2, items: [makeMenuItem(), makeMenuItem({ sku: 'COLA', station: 'bar', category: 'Drinks' })] });
  });

  it('should answer a replayed commandId with the earlier result and never apply it twice', async () => {
    const command = menuPatch(1);
    await apply(command, 0).expect(200);
    await apply(cloud.command('MENU_SNAPSHOT', { items: [makeMenuItem({ sku: 'ONLY' })] }, { revision: 2 })).expect(200);
    const again = await apply(command, 0).expect(200);
    expect(again.body).toEqual({ commandId: command.commandId, appliedRevision: 1, alreadyApplied: true });
    const menu = await request(edge.server).get('/api/v1/menu').set('Authorization', `Bearer ${agent}`).expect(200);
    expect(menu.body).toEqual({ revision: 2, items: [makeMenuItem({ sku: 'ONLY' })] });
    expect(countRows('applied_commands')).toBe(2);
  });

  it('should answer 409 with the current revision when the base revision is stale, and change nothing', async () => {
    await apply(menuPatch(1), 0).expect(200);
    await apply(menuPatch(2), 1).expect(200);
    const stale = cloud.command('MENU_UPSERT_BATCH', { items: [makeMenuItem({ name: 'Stale' })] }, { revision: 3, baseRevision: 1 });
    const res = await apply(stale, 1).expect(409);
    expect(res.body).toEqual({
      statusCode: 409,
      code: 'REVISION_CONFLICT',
      message: expect.stringContaining('revision 2'),
      currentRevision: 2,
      details: { currentRevision: 2 },
    });
    expect(countRows('applied_commands')).toBe(2);
    const menu = await request(edge.server).get('/api/v1/menu').set('Authorization', `Bearer ${agent}`).expect(200);
    expect(menu.body.items[0].name).toBe('Cheeseburger');
  });

  it('should apply the largest payload the cloud publishes and refuse a larger envelope with 413 PAYLOAD_TOO_LARGE', async () => {
    // A settings snapshot whose payload is exactly the cloud's publish limit: the envelope fits.
    const settingsOf = (bytes: number) => {
      const skeleton = { values: { 'receipt.footer': '' } };
      return { values: { 'receipt.footer': 'x'.repeat(bytes - jsonByteLength(skeleton)) } };
    };
    const largest = cloud.command('SETTINGS_SNAPSHOT', settingsOf(MAX_COMMAND_PAYLOAD_BYTES), { revision: 1 });
    expect(jsonByteLength(largest.payload)).toBe(MAX_COMMAND_PAYLOAD_BYTES);
    expect(jsonByteLength(largest)).toBeLessThanOrEqual(MAX_COMMAND_ENVELOPE_BYTES);
    expect((await apply(largest).expect(200)).body).toMatchObject({ appliedRevision: 1 });

    const tooLarge = cloud.command('SETTINGS_SNAPSHOT', settingsOf(MAX_COMMAND_ENVELOPE_BYTES), { revision: 2 });
    expect((await apply(tooLarge).expect(413)).body).toEqual({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' });
    expect(countRows('applied_commands')).toBe(1);
  });

  it('should let a snapshot replace the domain whatever revision it is at', async () => {
    await apply(menuPatch(1), 0).expect(200);
    const res = await apply(cloud.command('MENU_SNAPSHOT', { items: [makeMenuItem({ sku: 'NEW', station: null })] }, { revision: 7 })).expect(200);
    expect(res.body).toMatchObject({ appliedRevision: 7, alreadyApplied: false });
    const menu = await request(edge.server).get('/api/v1/menu').set('Authorization', `Bearer ${agent}`).expect(200);
    expect(menu.body).toEqual({ revision: 7, items: [makeMenuItem({ sku: 'NEW', station: null })] });
  });

  it('should require If-Match on a patch and refuse one that is not a revision or not the signed base', async () => {
    expect((await apply(menuPatch(1)).expect(428)).body).toMatchObject({ code: 'IF_MATCH_REQUIRED' });
    expect((await apply(menuPatch(1), 'abc').expect(400)).body).toMatchObject({ code: 'IF_MATCH_INVALID' });
    expect((await apply(menuPatch(1), 5).expect(400)).body).toMatchObject({ code: 'IF_MATCH_INVALID', message: expect.stringContaining('base revision 0') });
    expect(countRows('applied_commands')).toBe(0);
  });

  it('should refuse a forged signature, a tampered field, an unknown key, another store and an expired command (422 with the ack code)', async () => {
    const rogue = signingKeyFrom(generateEd25519KeyPair().privateKey);
    const forged = cloud.command(
      'SETTINGS_PATCH',
      { values: { tax: 20 } },
      { revision: 1, key: { keyId: cloud.signingKey.keyId, privateKey: rogue.privateKey } },
    );
    expect((await apply(forged, 0).expect(422)).body).toMatchObject({ code: 'SIGNATURE_INVALID' });
    const tampered: CommandEnvelope = { ...cloud.command('SETTINGS_PATCH', { values: { tax: 20 } }, { revision: 1 }), payload: { values: { tax: 0 } } };
    expect((await apply(tampered, 0).expect(422)).body).toMatchObject({ code: 'SIGNATURE_INVALID' });
    const unknown = cloud.command('SETTINGS_PATCH', { values: { tax: 20 } }, { revision: 1, key: rogue });
    expect((await apply(unknown, 0).expect(422)).body).toMatchObject({ code: 'UNKNOWN_KEY' });
    const otherStore = cloud.command('SETTINGS_PATCH', { values: { tax: 20 } }, { revision: 1, realm: { tenantId: 't-demo', storeId: 's-002' } });
    expect((await apply(otherStore, 0).expect(422)).body).toMatchObject({ code: 'WRONG_STORE' });
    const expired = cloud.command('SETTINGS_PATCH', { values: { tax: 20 } }, { revision: 1, expiresInMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await apply(expired, 0).expect(422)).body).toMatchObject({ code: 'EXPIRED' });
    expect(countRows('applied_commands')).toBe(0);
    const settings = await request(edge.server).get('/api/v1/settings').set('Authorization', `Bearer ${agent}`).expect(200);
    expect(settings.body).toEqual({ revision: 0, values: {} });
  });

  it('should refuse every command while no key is trusted yet', async () => {
    const fresh = await startEdgeTestApp('commands-untrusted');
    try {
      const signer = new CloudSigner(fresh.clusterKeys.privateKey);
      const res = await request(fresh.server)
        .post('/api/v1/commands/apply')
        .set('Authorization', `Bearer ${signer.token('agent')}`)
        .send(signer.command('SETTINGS_SNAPSHOT', { values: {} }, { revision: 1 }))
        .expect(422);
      expect(res.body).toMatchObject({ code: 'UNKNOWN_KEY' });
    } finally {
      await fresh.close();
    }
  });

  it('should answer 422 INVALID_PAYLOAD naming each bad field', async () => {
    const bad = menuPatch(1, [makeMenuItem({ priceCents: -5 }), makeMenuItem({ sku: 'X', name: '' })]);
    const res = await apply(bad, 0).expect(422);
    expect(res.body).toMatchObject({
      code: 'INVALID_PAYLOAD',
      details: {
        issues: expect.arrayContaining([
          expect.objectContaining({ path: 'payload.items[0].priceCents' }),
          expect.objectContaining({ path: 'payload.items[1].name' }),
        ]),
      },
    });
    const clearPin = cloud.command('USER_UPSERT', { users: [makeStoreUser({ pinHash: '1234' })] }, { revision: 1 });
    expect((await apply(clearPin, 0).expect(422)).body.details.issues).toEqual([expect.objectContaining({ path: 'payload.users[0].pinHash' })]);
    expect((await apply([1, 2]).expect(422)).body).toMatchObject({ code: 'INVALID_PAYLOAD' });
  });

  it('should be for the agent only: 401 without a token or with a forged one, 403 for another realm or a device', async () => {
    const command = menuPatch(1);
    expect((await request(edge.server).post('/api/v1/commands/apply').send(command).expect(401)).body).toMatchObject({ statusCode: 401 });
    expect((await apply(command, 0, cloud.token('agent', 'agent-x', { tenantId: 't-demo', storeId: 's-999' })).expect(403)).body).toMatchObject({
      code: 'REALM_MISMATCH',
    });
    await apply(
      command,
      0,
      signClusterToken({ sub: 'agent-1', role: 'agent', tenantId: 't-demo', storeId: 's-001' }, generateEs256KeyPair().privateKey, 600),
    ).expect(401);
    expect((await apply(command, 0, cloud.token('device')).expect(403)).body).toMatchObject({ code: 'FORBIDDEN' });
    expect(countRows('applied_commands')).toBe(0);
  });

  it("should keep users' PIN hashes and never serve them", async () => {
    await apply(cloud.command('USER_UPSERT', { users: [makeStoreUser({ pinHash: PIN_HASH }), makeStoreUser({ userId: 'u-2' })] }, { revision: 1 }), 0).expect(
      200,
    );
    const res = await request(edge.server)
      .get('/api/v1/users')
      .set('Authorization', `Bearer ${cloud.token('device')}`)
      .expect(200);
    expect(res.body).toEqual({
      revision: 1,
      users: [
        { ...makeStoreUser(), hasPin: true },
        { ...makeStoreUser({ userId: 'u-2' }), hasPin: false },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('scrypt');
    const stored = edge.app.get<SqliteDatabase>(SQLITE).prepare("SELECT state FROM domain_state WHERE domain = 'users'").get() as { state: string };
    expect(stored.state).toContain(PIN_HASH);
  });

  it('should write nothing when any part of the apply fails: state, applied command and audit are one transaction', async () => {
    const db = edge.app.get<SqliteDatabase>(SQLITE);
    // The audit insert is the last write of the transaction: make it fail for real.
    db.exec("CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log WHEN NEW.action = 'command.applied' BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    const command = menuPatch(1);
    const res = await apply(command, 0).expect(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL', errorId: expect.any(String) });
    expect(countRows('applied_commands')).toBe(0);
    expect(countRows('domain_state')).toBe(0);
    db.exec('DROP TRIGGER audit_refuses');
    expect((await apply(command, 0).expect(200)).body).toMatchObject({ appliedRevision: 1, alreadyApplied: false });
  });

  it('should record every applied and refused command in the audit trail', async () => {
    const command = cloud.command('ROLE_PERMISSIONS_PATCH', { roles: [makeStoreRole()] }, { revision: 1 });
    await apply(command, 0).expect(200);
    await apply(cloud.command('ROLE_PERMISSIONS_PATCH', { roles: [makeStoreRole()] }, { revision: 5, baseRevision: 4 }), 4).expect(409);
    const audit = await request(edge.server).get('/api/v1/audit?limit=10').set('Authorization', `Bearer ${agent}`).expect(200);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['command.refused', 'command.applied', 'trust.signing-keys.replaced']);
    expect(audit.body.entries[1]).toMatchObject({
      actor: 'agent-1',
      target: command.commandId,
      details: { domain: 'roles', type: 'ROLE_PERMISSIONS_PATCH', fromRevision: 0, toRevision: 1 },
    });
    expect(audit.body.entries[0]).toMatchObject({ details: { code: 'REVISION_CONFLICT' } });
  });

  describe('with devices connected', () => {
    let url: string;
    const sockets: Socket[] = [];

    beforeEach(async () => {
      url = await listenOnLoopback(edge);
    });

    afterEach(() => {
      for (const socket of sockets.splice(0)) socket.disconnect();
    });

    it('should push state.changed with the new revision to every device once applied, and nothing for a refused command', async () => {
      const till = await connectDevice(url, cloud.token('device', 'till-1'), 'till-1');
      const kds = await connectDevice(url, cloud.token('device', 'kds-1'), 'kds-1');
      sockets.push(till, kds);
      const tillSeen = collect<StateChanged>(till, HUB_EVENTS.stateChanged);
      const kdsSeen = collect<StateChanged>(kds, HUB_EVENTS.stateChanged);
      await apply(menuPatch(1), 0).expect(200);
      await waitFor(() => tillSeen.length === 1 && kdsSeen.length === 1, { what: 'state.changed on both devices' });
      expect(tillSeen).toEqual([{ domain: 'menu', revision: 1 }]);
      expect(kdsSeen).toEqual([{ domain: 'menu', revision: 1 }]);
      await apply(menuPatch(1), 0).expect(409);
      await apply(cloud.command('SETTINGS_SNAPSHOT', { values: { 'receipt.footer': 'Thanks' } }, { revision: 3 })).expect(200);
      await waitFor(() => tillSeen.length === 2, { what: 'the settings change' });
      expect(tillSeen).toEqual([
        { domain: 'menu', revision: 1 },
        { domain: 'settings', revision: 3 },
      ]);
    });
  });
});
