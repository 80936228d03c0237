import type { NestExpressApplication } from '@nestjs/platform-express';
import type { App } from 'supertest/types.js';
import { generateEs256KeyPair, type GeneratedKeyPair } from '@app/crypto';
import { createTempDir, type TempDir } from '@app/testing';
import { createEdgeApp } from '../src/app.factory.js';
import { loadEdgeConfig, type EdgeConfig } from '../src/config/edge-config.js';

export interface EdgeTestApp {
  app: NestExpressApplication;
  config: EdgeConfig;
  /** The cloud's cluster key pair as this hub trusts it: tests sign device tokens with it. */
  clusterKeys: GeneratedKeyPair;
  tmp: TempDir;
  server: App;
  close(): Promise<void>;
}

/** The edge as its integration tests run it: the real application on a fresh data directory. */
export async function startEdgeTestApp(label: string, env: Record<string, string> = {}): Promise<EdgeTestApp> {
  const tmp = await createTempDir(`edge-${label}`);
  const clusterKeys = generateEs256KeyPair();
  const config = loadEdgeConfig({
    LOG_LEVEL: 'silent',
    TENANT_ID: 't-demo',
    STORE_ID: 's-001',
    CLUSTER_PUBLIC_KEY_BASE64: clusterKeys.publicKeyBase64,
    EDGE_DATA_DIR: tmp.path,
    MDNS_ENABLED: 'false',
    ...env,
  });
  const app = await createEdgeApp(config);
  await app.init();
  return {
    app,
    config,
    clusterKeys,
    tmp,
    server: app.getHttpServer(),
    async close() {
      await app.close();
      await tmp.remove();
    },
  };
}
