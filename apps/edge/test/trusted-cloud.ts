import request from 'supertest';
import type { EdgeTestApp } from './edge-test-app.js';
import { CloudSigner } from './signed-commands.js';

/** A cloud whose command keys the hub already trusts (handed over by the agent, as in production). */
export async function trustedCloud(edge: EdgeTestApp): Promise<CloudSigner> {
  const cloud = new CloudSigner(edge.clusterKeys.privateKey);
  await request(edge.server)
    .put('/api/v1/trust/signing-keys')
    .set('Authorization', `Bearer ${cloud.token('agent')}`)
    .send({ token: cloud.signingKeysToken() })
    .expect(200);
  return cloud;
}
