import type { RowDataPacket } from 'mysql2/promise';
import { COMMAND_TYPES, SYNC_DOMAINS, type FleetStoreView } from '@app/contracts';
import { CloudApi } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import { ReconciliationService } from '../reconciliation/reconciliation.service.js';

/**
 * The domain registry (libs/contracts/src/domains) and the database agree: domains are validated
 * strings in columns wide enough for any name the registry allows, so a domain added in code needs no
 * migration, and rows of a domain this version lacks (written by a newer replica during a rollout)
 * are left alone rather than breaking the fleet view or reconciliation.
 */
describe('the domain registry and the database', () => {
  let cloud: CloudTestApp;
  let prisma: PrismaService;
  let admin: CloudApi;
  let make: CloudFactories;

  beforeAll(async () => {
    cloud = await startCloudTestApp('domain-registry');
    prisma = cloud.app.get(PrismaService);
    make = new CloudFactories(cloud.app);
    const tenant = await make.tenant();
    admin = new CloudApi(cloud.server).as((await make.operatorWithToken(tenant)).token);
  });

  afterAll(async () => {
    await cloud.close();
  });

  async function columnsOf(...columns: [table: string, column: string][]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [table, column] of columns) {
      const rows = await prisma.$queryRawUnsafe<(RowDataPacket & { t: string })[]>(
        'SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
        table,
        column,
      );
      out[`${table}.${column}`] = rows[0]?.t ?? 'missing';
    }
    return out;
  }

  it('should hold domain names as strings of up to 32 characters and command types of up to 40, never an enum of the domains of one version', async () => {
    expect(await columnsOf(['StoreDomainState', 'domain'], ['SyncRevision', 'domain'], ['SyncCommand', 'domain'])).toEqual({
      'StoreDomainState.domain': 'varchar(32)',
      'SyncRevision.domain': 'varchar(32)',
      'SyncCommand.domain': 'varchar(32)',
    });
    expect(await columnsOf(['SyncCommand', 'type'], ['SyncRevision', 'commandType'])).toEqual({
      'SyncCommand.type': 'varchar(40)',
      'SyncRevision.commandType': 'varchar(40)',
    });
    expect(Math.max(...SYNC_DOMAINS.map((d) => d.length))).toBeLessThanOrEqual(32);
    expect(Math.max(...COMMAND_TYPES.map((t) => t.length))).toBeLessThanOrEqual(40);
  });

  it('should give a new store one state row per registered domain, and the fleet view every one of them', async () => {
    const view = (await admin.post('/api/v1/stores', { code: 'REG-01', name: 'Registry agreement, Harbourside Quay (north entrance)' }).expect(201))
      .body as FleetStoreView;
    const rows = await prisma.storeDomainState.findMany({ where: { storeId: view.id }, select: { domain: true } });
    expect(rows.map((r) => r.domain).sort()).toEqual([...SYNC_DOMAINS].sort());
    expect(Object.keys(view.domains).sort()).toEqual([...SYNC_DOMAINS].sort());
  });

  it("should leave alone a domain another version wrote: the fleet view and reconciliation see only this version's domains", async () => {
    const view = (await admin.post('/api/v1/stores', { code: 'REG-02', name: 'A store a newer replica published a new domain to' }).expect(201))
      .body as FleetStoreView;
    await prisma.storeDomainState.create({
      data: { storeId: view.id, tenantId: view.tenantId, domain: 'printer_profiles', desiredRevision: 3, appliedRevision: 1 },
    });
    const fleet = (await admin.get(`/api/v1/stores/${view.id}`).expect(200)).body as FleetStoreView;
    expect(Object.keys(fleet.domains).sort()).toEqual([...SYNC_DOMAINS].sort());
    const report = await cloud.app.get(ReconciliationService).reconcileAll();
    expect({ failures: report.failures, repairs: report.repairs.filter((r) => r.storeId === view.id) }).toEqual({ failures: 0, repairs: [] });
  });
});
