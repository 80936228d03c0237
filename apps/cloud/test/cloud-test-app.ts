import type { App } from 'supertest/types.js';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createRedisPrefix, createTempDir, createTestDatabase, deleteRedisPrefix, testRedisUrl, type TempDir, type TestDatabase } from '@app/testing';
import { createCloudApp } from '../src/app.factory.js';
import { loadCloudConfig, type CloudConfig } from '../src/config/cloud-config.js';

export interface CloudTestApp {
  app: NestExpressApplication;
  config: CloudConfig;
  db: TestDatabase;
  redisPrefix: string;
  tmp: TempDir;
  /** The HTTP server, for supertest. */
  server: App;
  close(): Promise<void>;
}

/**
 * The cloud as its integration tests run it: the real application on a fresh, migrated database
 * and a Redis key prefix of its own, both removed by close().
 */
export interface CloudTestAppOptions {
  /** The database URL the app is given, from the real one (to put a TcpProxy in between). */
  databaseUrl?: (url: string) => string | Promise<string>;
}

export async function startCloudTestApp(label: string, env: Record<string, string> = {}, options: CloudTestAppOptions = {}): Promise<CloudTestApp> {
  const db = await createTestDatabase(label);
  const redisPrefix = createRedisPrefix(label);
  const tmp = await createTempDir(`cloud-${label}`);
  const config = loadCloudConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: options.databaseUrl ? await options.databaseUrl(db.url) : db.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: redisPrefix,
    DEV_KEYS_FILE: path.join(tmp.path, 'keys.json'),
    ...env,
  });
  const app = await createCloudApp(config);
  await app.init();
  return {
    app,
    config,
    db,
    redisPrefix,
    tmp,
    server: app.getHttpServer(),
    async close() {
      await app.close();
      await Promise.all([db.drop(), deleteRedisPrefix(redisPrefix), tmp.remove()]);
    },
  };
}
