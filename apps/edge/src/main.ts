import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { ConfigError, exitOnUncaughtException, processLogger } from '@app/nest-kit';
import { createEdgeApp } from './app.factory.js';
import { loadEdgeConfig, type EdgeConfig } from './config/edge-config.js';

// Every line the hub prints is JSON (docs/edge.md, Logs), these too.
const log = processLogger('edge');
exitOnUncaughtException(log);

// The store's tills depend on this process: a stray rejected promise is logged, never fatal.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection (the hub keeps running)'));

async function main(): Promise<void> {
  let config: EdgeConfig;
  try {
    config = loadEdgeConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      log.fatal({ problems: error.problems }, error.message);
      process.exit(78); // EX_CONFIG: a supervisor should not restart-loop on a bad environment
    }
    throw error;
  }
  const app = await createEdgeApp(config);
  await app.listen(config.port, config.host);
  app
    .get(Logger)
    .log(`edge ${config.tenantId}/${config.storeId} listening on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`, 'Main');
}

await main().catch((error: unknown) => {
  log.fatal({ err: error }, `the hub could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
