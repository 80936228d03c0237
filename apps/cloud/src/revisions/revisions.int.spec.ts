import { MAX_COMMAND_ENVELOPE_BYTES, MAX_COMMAND_PAYLOAD_BYTES, jsonByteLength } from '@app/contracts';
import { makeMenuItem } from '@app/testing';
import { CloudApi } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import type { TenantRow } from '../tenants/tenants.repository.js';
import { RevisionsService } from './revisions.service.js';

describe(RevisionsService.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let prisma: PrismaService;
  let tenant: TenantRow;
  let admin: CloudApi;
  let adminEmail: string;

  beforeAll(async () => {
    cloud = await startCloudTestApp('revisions');
    make = new CloudFactories(cloud.app);
    prisma = cloud.app.get(PrismaService);
    tenant = await make.tenant();
    const operator = await make.operatorWithToken(tenant);
    adminEmail = operator.email;
    admin = new CloudApi(cloud.server).as(operator.token);
  });

  afterAll(async () => {
    await cloud.close();
  });

  const publish = (storeId: string, body: unknown) => admin.post(`/api/v1/stores/${storeId}/revisions`, body);
  const counts = async (storeId: string) => ({
    revisions: await prisma.syncRevision.count({ where: { storeId } }),
    commands: await prisma.syncCommand.count({ where: { storeId } }),
    audit: await prisma.auditLog.count({ where: { storeId } }),
  });

  describe('publish', () => {
    it('should store the revision with the whole state it leads to and a signed command building on the previous one', async () => {
      const store = await make.store(tenant);
      const first = await publish(store.id, {
        domain: 'menu',
        payload: { items: [makeMenuItem({ sku: 'B', name: 'Burger' }), makeMenuItem({ sku: 'A', name: 'Apple pie', station: null })] },
      }).expect(201);
      expect(first.body).toEqual({ revision: 1, commandId: expect.any(String) });
      const second = await publish(store.id, {
        domain: 'menu',
        ifMatchRevision: 1,
        payload: { items: [makeMenuItem({ sku: 'C', name: 'Chips', priceCents: 300 })], removeSkus: ['B'] },
      }).expect(201);
      expect(second.body.revision).toBe(2);

      const revision = await prisma.syncRevision.findFirstOrThrow({ where: { storeId: store.id, domain: 'menu', revision: 2 } });
      expect((revision.state as { items: { sku: string }[] }).items.map((i) => i.sku)).toEqual(['A', 'C']);
      expect(revision.publishedById).not.toBeNull();
      const command = await prisma.syncCommand.findUniqueOrThrow({ where: { id: second.body.commandId } });
      expect(command).toMatchObject({
        seq: 2,
        domain: 'menu',
        type: 'MENU_UPSERT_BATCH',
        revision: 2,
        baseRevision: 1,
        status: 'PENDING',
        revisionId: revision.id,
        keyId: cloud.config.commandSigningKey.keyId,
      });
      expect(command.expiresAt.getTime() - command.issuedAt.getTime()).toBe(7 * 24 * 3600 * 1000);
      expect(await prisma.storeDomainState.findUniqueOrThrow({ where: { storeId_domain: { storeId: store.id, domain: 'menu' } } })).toMatchObject({
        desiredRevision: 2,
        appliedRevision: 0,
      });
      const audit = await prisma.auditLog.findFirstOrThrow({ where: { storeId: store.id, action: 'revision.published', targetId: revision.id } });
      expect(audit.details).toMatchObject({ domain: 'menu', revision: 2, baseRevision: 1, commandId: command.id, seq: 2 });

      const desired = await admin.get(`/api/v1/stores/${store.id}/revisions/menu/latest`).expect(200);
      expect(desired.body).toMatchObject({
        storeId: store.id,
        domain: 'menu',
        revision: 2,
        publishedBy: adminEmail,
        state: { items: [expect.objectContaining({ sku: 'A' }), expect.objectContaining({ sku: 'C' })] },
      });
    });

    it('should remove a setting published as null', async () => {
      const store = await make.store(tenant);
      await publish(store.id, { domain: 'settings', payload: { values: { 'tax.rate': 20, 'receipt.footer': 'Hi' } } }).expect(201);
      await publish(store.id, { domain: 'settings', payload: { values: { 'receipt.footer': null, 'tables.count': 12 } } }).expect(201);
      const desired = await admin.get(`/api/v1/stores/${store.id}/revisions/settings/latest`).expect(200);
      expect(desired.body.state).toEqual({ values: { 'tables.count': 12, 'tax.rate': 20 } });
    });

    it('should answer a stale ifMatchRevision with 409 and the current revision, writing nothing', async () => {
      const store = await make.store(tenant);
      await publish(store.id, { domain: 'roles', payload: { roles: [{ roleId: 'r1', name: 'One', permissions: [] }] } }).expect(201);
      await publish(store.id, { domain: 'roles', payload: { roles: [{ roleId: 'r2', name: 'Two', permissions: [] }] } }).expect(201);
      const before = await counts(store.id);
      const res = await publish(store.id, {
        domain: 'roles',
        ifMatchRevision: 1,
        payload: { roles: [{ roleId: 'r3', name: 'Three', permissions: [] }] },
      }).expect(409);
      expect(res.body).toEqual({ statusCode: 409, code: 'REVISION_CONFLICT', message: expect.stringContaining('revision 2'), details: { currentRevision: 2 } });
      expect(await counts(store.id)).toEqual(before);
    });

    it('should let exactly one of several editors publishing on the same revision win', async () => {
      const store = await make.store(tenant);
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          publish(store.id, { domain: 'menu', ifMatchRevision: 0, payload: { items: [makeMenuItem({ priceCents: 100 + i })] } }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(await prisma.syncRevision.count({ where: { storeId: store.id } })).toBe(1);
    });

    it('should number concurrent publishes of all domains of a store 1, 2, 3 ... without gaps', async () => {
      const store = await make.store(tenant);
      const bodies = [
        { domain: 'menu', payload: { items: [makeMenuItem()] } },
        { domain: 'settings', payload: { values: { a: 1 } } },
        { domain: 'users', payload: { users: [{ userId: 'u1', displayName: 'U', roleIds: [], active: true }] } },
        { domain: 'roles', payload: { roles: [{ roleId: 'r1', name: 'R', permissions: [] }] } },
      ];
      const results = await Promise.all([...bodies, ...bodies].map((b) => publish(store.id, b)));
      expect(results.every((r) => r.status === 201)).toBe(true);
      const seqs = (await prisma.syncCommand.findMany({ where: { storeId: store.id }, select: { seq: true } })).map((c) => c.seq).sort((a, b) => a - b);
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect((await prisma.store.findUniqueOrThrow({ where: { id: store.id } })).lastCommandSeq).toBe(8);
    });

    it('should refuse an invalid payload naming the field by its path, writing nothing', async () => {
      const store = await make.store(tenant);
      const res = await publish(store.id, { domain: 'menu', payload: { items: [{ ...makeMenuItem(), priceCents: -5 }] } }).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path: 'payload.items[0].priceCents' })] } });
      const wrongShape = await publish(store.id, { domain: 'settings', payload: { items: [] } }).expect(400);
      expect(wrongShape.body.details.issues).toEqual([expect.objectContaining({ path: 'payload.values' })]);
      const unknownDomain = await publish(store.id, { domain: 'printers', payload: {} }).expect(400);
      expect(unknownDomain.body.details.issues).toEqual([expect.objectContaining({ path: 'domain' })]);
      expect(await counts(store.id)).toEqual({ revisions: 0, commands: 0, audit: 0 });
    });

    it('should refuse a change that would push the state past its limits', async () => {
      const store = await make.store(tenant);
      const items = Array.from({ length: 5_000 }, (_, i) => makeMenuItem({ sku: `SKU-${i}` }));
      await publish(store.id, { domain: 'menu', payload: { items } }).expect(201);
      const res = await publish(store.id, { domain: 'menu', payload: { items: [makeMenuItem({ sku: 'ONE-MORE' })] } }).expect(400);
      expect(res.body.details.issues).toEqual([
        expect.objectContaining({ path: 'payload', message: expect.stringContaining('the menu after this change would be invalid') }),
      ]);
    });
  });

  describe('publish size limits', () => {
    /** A settings payload of exactly `bytes` bytes of JSON, with one long value under `key`. */
    const settingsOf = (bytes: number, key = 'receipt.footer') => ({ values: { [key]: 'x'.repeat(bytes - jsonByteLength({ values: { [key]: '' } })) } });
    const desiredOf = async (storeId: string) =>
      (await prisma.storeDomainState.findUnique({ where: { storeId_domain: { storeId, domain: 'settings' } } }))?.desiredRevision ?? 0;

    it('should refuse a revision whose command would be larger than a hub accepts with 413 REVISION_TOO_LARGE, storing nothing', async () => {
      const store = await make.store(tenant);
      // The finding: a 2.5 MB settings revision was accepted, then refused by the hub on every try.
      const res = await publish(store.id, { domain: 'settings', payload: settingsOf(2_500_000) }).expect(413);
      expect(res.body).toEqual({
        statusCode: 413,
        code: 'REVISION_TOO_LARGE',
        message: expect.stringContaining(`at most ${MAX_COMMAND_PAYLOAD_BYTES} bytes`),
        details: { storeId: store.id, domain: 'settings', part: 'payload', sizeBytes: 2_500_000, limitBytes: MAX_COMMAND_PAYLOAD_BYTES },
      });
      expect(await counts(store.id)).toEqual({ revisions: 0, commands: 0, audit: 0 });
      expect(await desiredOf(store.id)).toBe(0);

      // The largest payload that fits is published, and its envelope fits the hub's body limit.
      const fits = await publish(store.id, { domain: 'settings', payload: settingsOf(MAX_COMMAND_PAYLOAD_BYTES) }).expect(201);
      const command = await prisma.syncCommand.findUniqueOrThrow({ where: { id: fits.body.commandId } });
      const envelope = {
        commandId: command.id,
        tenantId: command.tenantId,
        storeId: command.storeId,
        seq: command.seq,
        domain: command.domain,
        type: command.type,
        revision: command.revision,
        baseRevision: command.baseRevision,
        payload: command.payload,
        issuedAt: command.issuedAt.toISOString(),
        expiresAt: command.expiresAt.toISOString(),
        keyId: command.keyId,
        signature: command.signature,
      };
      expect(jsonByteLength(envelope)).toBeLessThanOrEqual(MAX_COMMAND_ENVELOPE_BYTES);
    });

    it('should refuse a patch that fits but would grow the state past what a snapshot can carry', async () => {
      const store = await make.store(tenant);
      const third = Math.floor(MAX_COMMAND_PAYLOAD_BYTES / 3) + 100;
      await publish(store.id, { domain: 'settings', payload: settingsOf(third, 'notes.one') }).expect(201);
      await publish(store.id, { domain: 'settings', payload: settingsOf(third, 'notes.two') }).expect(201);
      const before = await counts(store.id);
      const res = await publish(store.id, { domain: 'settings', payload: settingsOf(third, 'notes.three') }).expect(413);
      expect(res.body).toMatchObject({
        code: 'REVISION_TOO_LARGE',
        details: { storeId: store.id, domain: 'settings', part: 'state', limitBytes: MAX_COMMAND_PAYLOAD_BYTES },
      });
      expect(res.body.details.sizeBytes).toBeGreaterThan(MAX_COMMAND_PAYLOAD_BYTES);
      expect(res.body.message).toContain('the settings after this change');
      expect(await counts(store.id)).toEqual(before);
      expect(await desiredOf(store.id)).toBe(2);
      // Removing a value makes room again.
      await publish(store.id, { domain: 'settings', payload: { values: { 'notes.one': null } } }).expect(201);
      await publish(store.id, { domain: 'settings', payload: settingsOf(third, 'notes.three') }).expect(201);
    });

    it('should publish to none of the stores when the change is too large for one of them', async () => {
      const [small, full] = [await make.store(tenant), await make.store(tenant)];
      const half = Math.floor(MAX_COMMAND_PAYLOAD_BYTES / 2);
      await publish(full.id, { domain: 'settings', payload: settingsOf(half + 1_000, 'notes.local') }).expect(201);
      const before = { small: await counts(small.id), full: await counts(full.id) };
      const res = await admin
        .post('/api/v1/revisions', { storeIds: [small.id, full.id], domain: 'settings', payload: settingsOf(half, 'notes.chain') })
        .expect(413);
      expect(res.body).toMatchObject({ code: 'REVISION_TOO_LARGE', details: { storeId: full.id, part: 'state' } });
      expect({ small: await counts(small.id), full: await counts(full.id) }).toEqual(before);
    });
  });

  describe('publishFleet', () => {
    it('should give every store its own revision on top of its own state, in one go', async () => {
      const [a, b, c] = [await make.store(tenant), await make.store(tenant), await make.store(tenant)];
      await publish(b.id, { domain: 'menu', payload: { items: [makeMenuItem({ sku: 'LOCAL', name: 'Local special' })] } }).expect(201);
      const res = await admin
        .post('/api/v1/revisions', {
          storeIds: [a.id, b.id, c.id],
          domain: 'menu',
          payload: { items: [makeMenuItem({ sku: 'CHAIN', name: 'Chain burger', priceCents: 999 })] },
        })
        .expect(201);
      expect(res.body.revisions.map((r: { storeId: string; revision: number }) => [r.storeId, r.revision])).toEqual([
        [a.id, 1],
        [b.id, 2],
        [c.id, 1],
      ]);
      const stateOf = async (storeId: string) =>
        (await admin.get(`/api/v1/stores/${storeId}/revisions/menu/latest`).expect(200)).body.state.items.map((i: { sku: string }) => i.sku);
      expect(await stateOf(a.id)).toEqual(['CHAIN']);
      expect(await stateOf(b.id)).toEqual(['CHAIN', 'LOCAL']);
      const commands = await prisma.syncCommand.findMany({
        where: { id: { in: res.body.revisions.map((r: { commandId: string }) => r.commandId) } },
        orderBy: { storeId: 'asc' },
      });
      expect(commands.map((cmd) => [cmd.storeId, cmd.seq, cmd.revision, cmd.baseRevision])).toEqual(
        [
          [a.id, 1, 1, 0],
          [b.id, 2, 2, 1],
          [c.id, 1, 1, 0],
        ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      expect(await prisma.auditLog.count({ where: { action: 'revision.published', storeId: { in: [a.id, b.id, c.id] } } })).toBe(4);
    });

    it('should publish to none of the stores when one of them is unknown', async () => {
      const a = await make.store(tenant);
      const res = await admin.post('/api/v1/revisions', { storeIds: [a.id, 'no-such-store'], domain: 'settings', payload: { values: { a: 1 } } }).expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no-such-store') });
      expect(await counts(a.id)).toEqual({ revisions: 0, commands: 0, audit: 0 });
      const twice = await admin.post('/api/v1/revisions', { storeIds: [a.id, a.id], domain: 'settings', payload: { values: { a: 1 } } }).expect(400);
      expect(twice.body.details.issues).toEqual([expect.objectContaining({ path: 'storeIds' })]);
    });
  });

  describe('latest', () => {
    it('should answer desired and applied revision of every domain with who published it', async () => {
      const store = await make.store(tenant);
      await publish(store.id, { domain: 'menu', payload: { items: [makeMenuItem()] } }).expect(201);
      const res = await admin.get(`/api/v1/stores/${store.id}/revisions/latest`).expect(200);
      expect(res.body).toEqual({
        storeId: store.id,
        domains: {
          menu: { desiredRevision: 1, appliedRevision: 0, appliedAt: null, drift: true, publishedAt: expect.any(String), publishedBy: adminEmail },
          settings: { desiredRevision: 0, appliedRevision: 0, appliedAt: null, drift: false, publishedAt: null, publishedBy: null },
          users: { desiredRevision: 0, appliedRevision: 0, appliedAt: null, drift: false, publishedAt: null, publishedBy: null },
          roles: { desiredRevision: 0, appliedRevision: 0, appliedAt: null, drift: false, publishedAt: null, publishedBy: null },
        },
      });
    });

    it('should answer the empty state of a domain never published, and refuse an unknown domain', async () => {
      const store = await make.store(tenant);
      expect((await admin.get(`/api/v1/stores/${store.id}/revisions/users/latest`).expect(200)).body).toEqual({
        storeId: store.id,
        domain: 'users',
        revision: 0,
        state: { users: [] },
        publishedAt: null,
        publishedBy: null,
      });
      const res = await admin.get(`/api/v1/stores/${store.id}/revisions/printers/latest`).expect(400);
      expect(res.body.details.issues).toEqual([expect.objectContaining({ path: '' })]);
    });
  });
});
