import 'reflect-metadata';
import { ConfigError } from '@app/nest-kit';
import { createEdgeApp } from './app.factory.js';
import { loadEdgeConfig, type EdgeConfig } from './config/edge-config.js';

// The store's tills depend on this process: a stray rejected promise is logged, never fatal.
process.on('unhandledRejection', (reason) => console.error('unhandled rejection (the hub keeps running):', reason));

async function main(): Promise<void> {
  let config: EdgeConfig;
  try {
    config = loadEdgeConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG: a supervisor should not restart-loop on a bad environment
    }
    throw error;
  }
  const app = await createEdgeApp(config);
  await app.listen(config.port, config.host);
  console.log(`edge ${config.tenantId}/${config.storeId} listening on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`);
}

await main();
