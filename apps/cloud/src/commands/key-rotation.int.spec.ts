import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { CommandEnvelope, KeysResponse, RegisterNodeResponse } from '@app/contracts';
import { CommandKeyring, generateEd25519KeyPair, generateEs256KeyPair, publicKeyFromBase64, verifyCommandSignature, verifySigningKeysToken } from '@app/crypto';
import { makeMenuItem } from '@app/testing';
import { ackFailed, CloudApi, pollCommands, registerNode } from '../../test/cloud-api.js';
import { startCloudTestApp, type CloudTestApp } from '../../test/cloud-test-app.js';
import { CloudFactories } from '../../test/factories.js';
import { createCloudApp } from '../app.factory.js';
import { loadCloudConfig } from '../config/cloud-config.js';
import { PrismaService } from '../database/prisma.service.js';
import { CommandSigner } from './command-signer.service.js';

const OLD = generateEd25519KeyPair();
const NEW = generateEd25519KeyPair();
const CLUSTER = generateEs256KeyPair().privateKeyBase64;
const SECRET = 'rotation-test-secret-0123456789abcdef';

describe(`${CommandSigner.name} across a key rotation`, () => {
  let before: CloudTestApp;
  let after: NestExpressApplication | undefined;

  beforeAll(async () => {
    before = await startCloudTestApp('key-rotation', {
      AUTH_JWT_SECRET: SECRET,
      CLUSTER_SIGNING_KEY: CLUSTER,
      COMMAND_SIGNING_KEY: OLD.privateKeyBase64,
      COMMAND_SIGNING_KEY_ID: 'k-old',
    });
  });

  afterAll(async () => {
    await after?.close();
    await before.close();
  });

  /** The same cloud restarted on the same database with other keys (a deployment of the rotation). */
  async function restartWith(env: Record<string, string>): Promise<CloudApi> {
    await after?.close();
    const config = loadCloudConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: before.db.url,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: before.config.redisUrl,
      REDIS_PREFIX: before.redisPrefix,
      DEV_KEYS_FILE: path.join(before.tmp.path, 'unused.json'),
      AUTH_JWT_SECRET: SECRET,
      CLUSTER_SIGNING_KEY: CLUSTER,
      ...env,
    });
    after = await createCloudApp(config);
    await after.init();
    return new CloudApi(after.getHttpServer());
  }

  it('should keep commands signed with the old key valid while both keys are published, then re-sign what support retries', async () => {
    const make = new CloudFactories(before.app);
    const tenant = await make.tenant();
    const operator = await make.operatorWithToken(tenant);
    const store = await make.store(tenant);
    const oldApi = new CloudApi(before.server);
    const node = await registerNode(oldApi, oldApi.as(operator.token), store.id);
    const first = (
      await oldApi
        .as(operator.token)
        .post(`/api/v1/stores/${store.id}/revisions`, { domain: 'menu', payload: { items: [makeMenuItem()] } })
        .expect(201)
    ).body.commandId as string;

    // Rotation: the new key signs, the old one is still listed for nodes to trust.
    const rotating = await restartWith({
      COMMAND_SIGNING_KEY: NEW.privateKeyBase64,
      COMMAND_SIGNING_KEY_ID: 'k-new',
      COMMAND_VERIFY_KEYS: `k-old=${OLD.publicKeyBase64}`,
    });
    const keys = (await rotating.get('/api/v1/keys').expect(200)).body as KeysResponse;
    expect(keys.signingKeys.map((k) => k.keyId)).toEqual(['k-new', 'k-old']);
    expect(verifySigningKeysToken(keys.signingKeysToken, publicKeyFromBase64(keys.clusterPublicKey))).toMatchObject({
      ok: true,
      claims: { signingKeys: keys.signingKeys },
    });
    const renewed = (await rotating.post('/api/v1/nodes/token', { nodeId: node.nodeId, nodeSecret: node.nodeSecret }).expect(200)).body as RegisterNodeResponse;
    expect(renewed.signingKeys).toEqual(keys.signingKeys);
    const keyring = CommandKeyring.fromPublicKeys(keys.signingKeys);

    const nodeApi = rotating.as(renewed.accessToken);
    const second = (
      await rotating
        .as(operator.token)
        .post(`/api/v1/stores/${store.id}/revisions`, { domain: 'settings', payload: { values: { a: 1 } } })
        .expect(201)
    ).body.commandId as string;
    const delivered: CommandEnvelope[] = await pollCommands(nodeApi, 0);
    expect(delivered.map((c) => [c.commandId, c.keyId])).toEqual([
      [first, 'k-old'],
      [second, 'k-new'],
    ]);
    for (const command of delivered) expect(verifyCommandSignature(command as unknown as Record<string, unknown>, keyring)).toEqual({ ok: true });

    // The old key retired: a command still signed with it is re-signed when support retries it.
    await nodeApi.post(`/api/v1/commands/${first}/ack`, ackFailed(first, 'UNKNOWN_KEY')).expect(200);
    const retired = await restartWith({ COMMAND_SIGNING_KEY: NEW.privateKeyBase64, COMMAND_SIGNING_KEY_ID: 'k-new' });
    const newOnly = CommandKeyring.fromPublicKeys(((await retired.get('/api/v1/keys').expect(200)).body as KeysResponse).signingKeys);
    await retired.as(operator.token).post(`/api/v1/commands/${first}/retry`, { reason: 'old key retired' }).expect(200);
    const [again] = await pollCommands(retired.as(renewed.accessToken), 0);
    expect(again).toMatchObject({ commandId: first, keyId: 'k-new' });
    expect(verifyCommandSignature(again as unknown as Record<string, unknown>, newOnly)).toEqual({ ok: true });
    expect(await after!.get(PrismaService).auditLog.count({ where: { targetId: first, action: 'command.retried' } })).toBe(1);
  });
});
