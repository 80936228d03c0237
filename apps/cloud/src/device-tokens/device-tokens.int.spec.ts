import { publicKeyFromBase64, verifyClusterToken } from '@app/crypto';
import { CloudApi } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { PrismaService } from '../database/prisma.service.js';
import { DeviceTokensService } from './device-tokens.service.js';

describe(DeviceTokensService.name, () => {
  let cloud: CloudTestApp;

  beforeAll(async () => {
    cloud = await startCloudTestApp('device-tokens');
  });

  afterAll(async () => {
    await cloud.close();
  });

  describe('issue', () => {
    it("should sign a device cluster token for the store's realm that its hub verifies offline, audited", async () => {
      const make = new CloudFactories(cloud.app);
      const tenant = await make.tenant();
      const store = await make.store(tenant);
      const admin = new CloudApi(cloud.server).as((await make.operatorWithToken(tenant)).token);
      const res = await admin.post(`/api/v1/stores/${store.id}/device-tokens`, { deviceId: 'kds-1', ttlSeconds: 3600 }).expect(201);
      const check = verifyClusterToken(res.body.token, publicKeyFromBase64(cloud.config.clusterPublicKeyBase64), { tenantId: tenant.id, storeId: store.id });
      expect(check).toMatchObject({
        ok: true,
        expired: false,
        claims: { sub: 'kds-1', role: 'device', aud: 'pos-hub', tenantId: tenant.id, storeId: store.id },
      });
      expect(check.ok && check.claims.exp * 1000).toBe(Date.parse(res.body.expiresAt));
      expect(
        verifyClusterToken(res.body.token, publicKeyFromBase64(cloud.config.clusterPublicKeyBase64), { tenantId: tenant.id, storeId: 'other' }),
      ).toMatchObject({ ok: false, reason: 'realm_mismatch' });
      const audit = await cloud.app.get(PrismaService).auditLog.findFirstOrThrow({ where: { storeId: store.id, action: 'device_token.issued' } });
      expect(audit).toMatchObject({ targetId: 'kds-1' });
      expect(JSON.stringify(audit.details)).not.toContain(res.body.token);
      const bad = await admin.post(`/api/v1/stores/${store.id}/device-tokens`, { deviceId: 'kds 1', ttlSeconds: 10 }).expect(400);
      expect(bad.body.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['deviceId', 'ttlSeconds']);
    });
  });
});
