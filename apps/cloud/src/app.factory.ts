import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { BootLogger, GlobalExceptionFilter, processLogger, requestLogger } from '@app/nest-kit';
import { AppModule } from './app.module.js';
import { serveBackoffice } from './backoffice/serve-backoffice.js';
import type { CloudConfig } from './config/cloud-config.js';
import { setupApiDocs } from './openapi/api-docs.js';
import { outageException } from './outages/outage-errors.js';

/** Request bodies above this are refused with 413 (the ingest's own batch limit comes first). */
export const MAX_BODY_BYTES = '8mb';

/** Builds the cloud HTTP application; main.ts listens on it, tests drive it with supertest. */
export async function createCloudApp(config: CloudConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    logger: new BootLogger(processLogger('cloud', config.logLevel)),
  });
  app.useLogger(app.get(Logger));
  app.use(requestLogger('cloud', config.logLevel));
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  // A driver's connection error anywhere (a repository, a guard, a queue call) answers 503 with a code.
  app.useGlobalFilters(new GlobalExceptionFilter({ translate: outageException }));
  app.disable('x-powered-by');
  // Off unless TRUST_PROXY names the proxies in front: X-Forwarded-For is the client's to write.
  app.set('trust proxy', config.trustProxy);
  // No enableShutdownHooks: main.ts installs a shutdown with a deadline (lifecycle/graceful-shutdown.ts).
  setupApiDocs(app);
  if (config.backofficeDir && !serveBackoffice(app, config.backofficeDir)) {
    app.get(Logger).warn(`no backoffice build in ${config.backofficeDir}: run npm run build`);
  }
  return app;
}
