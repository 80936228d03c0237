import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { MAX_COMMAND_ENVELOPE_BYTES } from '@app/contracts';
import { BootLogger, GlobalExceptionFilter, processLogger, requestLogger } from '@app/nest-kit';
import { EdgeAppModule } from './app.module.js';
import type { EdgeConfig } from './config/edge-config.js';

/**
 * Request bodies above this are refused with 413. The largest body the hub takes is a command
 * envelope, and the cloud refuses at publish any revision whose envelope would exceed it.
 */
export const MAX_BODY_BYTES = MAX_COMMAND_ENVELOPE_BYTES;

/** Builds the edge HTTP application; main.ts listens on it, tests drive it. */
export async function createEdgeApp(config: EdgeConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(EdgeAppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    logger: new BootLogger(processLogger('edge', config.logLevel)),
  });
  app.useLogger(app.get(Logger));
  app.use(requestLogger('edge', config.logLevel));
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  app.useGlobalFilters(new GlobalExceptionFilter());
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  return app;
}
