import { CloudFactories } from '../../test/factories.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { isUniqueViolation } from '../tenancy/unique-violation.js';
import { StoresRepository } from './stores.repository.js';

describe(StoresRepository.name, () => {
  let cloud: CloudTestApp;
  let make: CloudFactories;
  let stores: StoresRepository;

  beforeAll(async () => {
    cloud = await startCloudTestApp('stores-repo');
    make = new CloudFactories(cloud.app);
    stores = cloud.app.get(StoresRepository);
  });

  afterAll(async () => {
    await cloud.close();
  });

  describe('findById and findByCode', () => {
    it('should find a store only within its own tenant', async () => {
      const [acme, globex] = [await make.tenant(), await make.tenant()];
      const store = await make.store(acme, { code: 'S001' });
      await make.store(globex, { code: 'S001' });

      expect(await stores.findById(tenantScope(acme.id), store.id)).toMatchObject({ id: store.id, tenantId: acme.id });
      expect(await stores.findById(tenantScope(globex.id), store.id)).toBeNull();
      expect((await stores.findByCode(tenantScope(globex.id), 'S001'))?.tenantId).toBe(globex.id);
    });
  });

  describe('create', () => {
    it('should refuse a second store with the same code in one tenant', async () => {
      const tenant = await make.tenant();
      await make.store(tenant, { code: 'DUP' });
      const error = await make.store(tenant, { code: 'DUP' }).catch((e: unknown) => e);
      expect(isUniqueViolation(error)).toBe(true);
    });
  });
});
