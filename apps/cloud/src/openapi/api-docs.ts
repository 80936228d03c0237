import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { listRoutes } from '../auth/route-policy.js';
import { describeRoutes } from './route-docs.js';

export const API_DOCS_PATH = '/api/docs';
export const API_DOCS_JSON_PATH = '/api/docs-json';

const DESCRIPTION =
  `The control plane of the POS fleet: operators manage the fleet, publish revisions and retry commands; store nodes ` +
  `register, heartbeat, long-poll signed commands, ack them and ingest events.

This document as JSON, for client generators and validators: [${API_DOCS_JSON_PATH}](${API_DOCS_JSON_PATH}) (YAML: [/api/docs-yaml](/api/docs-yaml)).

**Authentication.** Operator routes take \`Authorization: Bearer <accessToken>\` from \`POST /api/v1/auth/login\` (security scheme ` +
  `\`operator\`). Node routes take the node access token from \`POST /api/v1/nodes/register\` or \`POST /api/v1/nodes/token\` (scheme ` +
  `\`node\`). Public routes say \`security: []\`.

**Errors.** Every error is \`{statusCode, code, message, details?}\` (schema \`ApiError\`), with an \`errorId\` on a 500 that is also in ` +
  `the log. Each operation lists the statuses it answers and the \`code\` values of each.`;

const TAGS: [name: string, description: string][] = [
  ['auth', 'Operator login and identity'],
  ['stores', 'The fleet view and store creation'],
  ['nodes', 'Store nodes: bootstrap, registration, tokens, heartbeats, the command long-poll and acks'],
  ['revisions', 'Publishing settings, menu, users and roles'],
  ['commands', 'Command history and retries'],
  ['events', 'Event ingest and HQ-created events, sales per day'],
  ['devices', 'Cluster tokens for tills and displays'],
  ['audit', 'The audit log'],
  ['ops', 'Health'],
];

/**
 * OpenAPI of the cloud at /api/docs (the JSON at /api/docs-json): scanned by @nestjs/swagger, then
 * completed from the routes' own declarations (route-docs.ts). Built once, on the first request.
 */
export function setupApiDocs(app: INestApplication): void {
  const builder = new DocumentBuilder()
    .setTitle('POS fleet cloud')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    // Relative: resolved against wherever the document was fetched from, which is this cloud.
    .addServer('/', 'The cloud serving this document')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An operator token: the accessToken of POST /api/v1/auth/login (12 h)' },
      'operator',
    )
    .addSecurity('node', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'A node access token: the accessToken of POST /api/v1/nodes/register or /api/v1/nodes/token (15 min)',
    });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  SwaggerModule.setup(
    API_DOCS_PATH.slice(1),
    app,
    () =>
      describeRoutes(
        SwaggerModule.createDocument(app, config, {
          // Stable and unique: the handler's controller and name (`Stores_list`), not its position.
          operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
        }),
        listRoutes(app),
      ),
    { jsonDocumentUrl: API_DOCS_JSON_PATH.slice(1), customSiteTitle: 'POS fleet cloud API' },
  );
}
