import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { ConfigError, exitOnUncaughtException, processLogger } from '@app/nest-kit';
import { createCloudApp } from './app.factory.js';
import { loadCloudConfig, type CloudConfig } from './config/cloud-config.js';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown.js';

// Every line the cloud prints is JSON (docs/deployment.md, Logs), these too.
const log = processLogger('cloud');
exitOnUncaughtException(log);

async function main(): Promise<void> {
  let config: CloudConfig;
  try {
    config = loadCloudConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      log.fatal({ problems: error.problems }, error.message);
      process.exit(78); // EX_CONFIG: a supervisor should not restart-loop on a bad environment
    }
    throw error;
  }
  const app = await createCloudApp(config);
  // Agents keep their connections between polls; load balancers commonly idle out at 60 s, so the
  // server must not close an idle connection first (a request racing the close would be lost).
  const server = app.getHttpServer();
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 76_000;
  installGracefulShutdown(app, config.shutdownTimeoutSeconds * 1000, log);
  await app.listen(config.port, config.host);
  app.get(Logger).log(`cloud listening on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`, 'Main');
}

await main().catch((error: unknown) => {
  log.fatal({ err: error }, `the cloud could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
