import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError } from '@app/nest-kit';
import { AgentModule } from './agent.module.js';
import { AgentRunner } from './agent-runner.service.js';
import { AgentFatalError, EXIT_CONFIG } from './common/agent-errors.js';
import { loadAgentConfig, type AgentConfig } from './config/agent-config.js';

async function main(): Promise<void> {
  let config: AgentConfig;
  try {
    config = loadAgentConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(EXIT_CONFIG); // a supervisor should not restart-loop on a bad environment
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(AgentModule.forRoot(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await app.init();
  try {
    await app.get(AgentRunner).run();
  } catch (error) {
    if (!(error instanceof AgentFatalError)) throw error;
    logger.error(`store agent stopping: ${error.message}`);
    // The message also goes to stderr as plain text: it is what an operator reads first.
    console.error(`store agent stopped: ${error.message}`);
    await app.close();
    process.exit(error.exitCode);
  }
}

await main();
