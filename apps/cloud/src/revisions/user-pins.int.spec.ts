import request from 'supertest';
import { verifySecret } from '@app/crypto';
import { CloudFactories } from '../../test/factories.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { PrismaService } from '../database/prisma.service.js';

describe('publishing users with PINs', () => {
  let cloud: CloudTestApp;
  let token: string;
  let storeId: string;

  beforeAll(async () => {
    cloud = await startCloudTestApp('user-pins');
    const make = new CloudFactories(cloud.app);
    const tenant = await make.tenant();
    const admin = await make.operator(tenant, { role: 'ADMIN' });
    storeId = (await make.store(tenant)).id;
    token = (await request(cloud.server).post('/api/v1/auth/login').send({ email: admin.email, password: admin.password }).expect(200)).body.accessToken;
  });

  afterAll(async () => {
    await cloud.close();
  });

  const publish = (payload: unknown, ifMatchRevision: number) =>
    request(cloud.server)
      .post(`/api/v1/stores/${storeId}/revisions`)
      .set('authorization', `Bearer ${token}`)
      .send({ domain: 'users', payload, ifMatchRevision });
  const storedUsers = async () => {
    const revision = await cloud.app.get(PrismaService).syncRevision.findFirstOrThrow({ where: { storeId, domain: 'users' }, orderBy: { revision: 'desc' } });
    return (revision.state as { users: { userId: string; pinHash?: string; displayName: string }[] }).users;
  };

  it('should hash a PIN sent in clear, keep it out of every operator view, and send only the hash to the store', async () => {
    const published = await publish({ users: [{ userId: 'u-1', displayName: 'Alex', roleIds: ['cashier'], active: true, pin: '4321' }] }, 0).expect(201);
    const [user] = await storedUsers();
    expect(user!.pinHash).toMatch(/^scrypt\$/);
    await expect(verifySecret('4321', user!.pinHash!)).resolves.toBe(true);

    const state = await request(cloud.server).get(`/api/v1/stores/${storeId}/revisions/users/latest`).set('authorization', `Bearer ${token}`).expect(200);
    expect(state.body.state.users).toEqual([{ userId: 'u-1', displayName: 'Alex', roleIds: ['cashier'], active: true, hasPin: true }]);
    const detail = await request(cloud.server).get(`/api/v1/commands/${published.body.commandId}`).set('authorization', `Bearer ${token}`).expect(200);
    expect(JSON.stringify(detail.body)).not.toContain('scrypt$');
    expect(JSON.stringify(detail.body)).not.toContain('4321');
    const command = await cloud.app.get(PrismaService).syncCommand.findUniqueOrThrow({ where: { id: published.body.commandId } });
    expect((command.payload as { users: { pinHash?: string }[] }).users[0]!.pinHash).toBe(user!.pinHash);
  });

  it('should keep the PIN of a user published again without one', async () => {
    const before = (await storedUsers())[0]!.pinHash;
    await publish({ users: [{ userId: 'u-1', displayName: 'Alex Smith', roleIds: ['cashier'], active: true }] }, 1).expect(201);
    const [user] = await storedUsers();
    expect(user).toMatchObject({ displayName: 'Alex Smith', pinHash: before });
  });

  it.each([
    ['a PIN that is not 4-8 digits', { pin: '12' }, 'payload.users[0].pin'],
    ['a hash instead of a PIN', { pinHash: 'scrypt$14$8$1$abc$def' }, 'payload.users[0]'],
  ])('should refuse %s, naming the field', async (_label, extra, path) => {
    const res = await publish({ users: [{ userId: 'u-2', displayName: 'Sam', roleIds: [], active: true, ...extra }] }, 2).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.issues.map((i: { path: string }) => i.path)).toContain(path);
  });
});
