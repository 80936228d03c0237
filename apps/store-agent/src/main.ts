import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError } from '@app/nest-kit';
import { AgentModule } from './agent.module.js';
import { loadAgentConfig, type AgentConfig } from './config/agent-config.js';

async function main(): Promise<void> {
  let config: AgentConfig;
  try {
    config = loadAgentConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG: a supervisor should not restart-loop on a bad environment
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(AgentModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  app.get(Logger).log(`store agent started: cloud ${config.cloudUrl}, edge ${config.edgeUrl}`);
}

await main();
