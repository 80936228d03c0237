import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI of the cloud at /api/docs (the JSON at /api/docs-json). */
export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('POS fleet cloud')
    .setDescription(
      'The control plane of SYSTEM.md: operators manage the fleet, publish revisions and retry commands; store nodes register, heartbeat, long-poll signed commands, ack them and ingest events. Errors are {statusCode, code, message, details?}.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An operator token from POST /api/v1/auth/login' }, 'operator')
    .addSecurity('node', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A node access token from POST /api/v1/nodes/register or /api/v1/nodes/token' })
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: 'api/docs-json' });
}
