import type { AuditListResponse } from '@app/contracts';
import { CloudApi } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { AuditService } from './audit.service.js';

describe(AuditService.name, () => {
  let cloud: CloudTestApp;

  beforeAll(async () => {
    cloud = await startCloudTestApp('audit');
  });

  afterAll(async () => {
    await cloud.close();
  });

  describe('list', () => {
    it("should page through the tenant's audit log newest first, with operators by email", async () => {
      const make = new CloudFactories(cloud.app);
      const tenant = await make.tenant();
      const operator = await make.operatorWithToken(tenant);
      const admin = new CloudApi(cloud.server).as(operator.token);
      const codes = ['A1', 'A2', 'A3', 'A4', 'A5'];
      for (const code of codes) await admin.post('/api/v1/stores', { code, name: code }).expect(201);
      const seen: AuditListResponse['entries'] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const res: { body: AuditListResponse } = await admin.get(`/api/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        seen.push(...res.body.entries);
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(seen.map((e) => (e.details as { code: string }).code)).toEqual([...codes].reverse());
      expect(seen.every((e) => e.action === 'store.created' && e.actorType === 'OPERATOR' && e.actorLabel === operator.email)).toBe(true);
      expect(seen.map((e) => e.id)).toEqual([...seen.map((e) => e.id)].sort((a, b) => b - a));
      const oneStore = (await admin.get(`/api/v1/audit?storeId=${seen[0]!.storeId}`).expect(200)).body as AuditListResponse;
      expect(oneStore.entries.map((e) => e.storeId)).toEqual([seen[0]!.storeId]);
      expect((await admin.get('/api/v1/audit?cursor=forged').expect(400)).body.details.issues).toEqual([expect.objectContaining({ path: 'cursor' })]);
    });
  });
});
