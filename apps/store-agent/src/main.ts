import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { BootLogger, ConfigError, exitOnUncaughtException, processLogger } from '@app/nest-kit';
import { AgentModule } from './agent.module.js';
import { AgentRunner } from './agent-runner.service.js';
import { AgentFatalError, EXIT_CONFIG } from './common/agent-errors.js';
import { loadAgentConfig, type AgentConfig } from './config/agent-config.js';

// Every line the agent prints is JSON (docs/agent.md, Logs), these too.
const log = processLogger('store-agent');
exitOnUncaughtException(log);

async function main(): Promise<void> {
  let config: AgentConfig;
  try {
    config = loadAgentConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      log.fatal({ problems: error.problems }, error.message);
      process.exit(EXIT_CONFIG); // a supervisor should not restart-loop on a bad environment
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(AgentModule.forRoot(config), {
    bufferLogs: true,
    logger: new BootLogger(processLogger('store-agent', config.logLevel)),
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  await app.init();
  try {
    await app.get(AgentRunner).run();
  } catch (error) {
    if (!(error instanceof AgentFatalError)) throw error;
    logger.fatal(`store agent stopped: ${error.message}`, 'Main');
    await app.close();
    process.exit(error.exitCode);
  }
}

await main().catch((error: unknown) => {
  log.fatal({ err: error }, `the store agent stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
