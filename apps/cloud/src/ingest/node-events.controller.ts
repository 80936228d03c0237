import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { eventsQuerySchema, ingestRequestSchema, ingestResponseSchema, cloudEventsPageSchema, type CloudEventsPage, type IngestResponse } from '@app/contracts';
import { ZodBody, ZodQuery } from '@app/nest-kit';
import { CurrentNode, NodeRoute } from '../auth/access-policy.js';
import type { NodePrincipal } from '../auth/principals.js';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { BATCH_TOO_LARGE } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { IngestService } from './ingest.service.js';

@ApiTags('events')
@Controller('api/v1')
export class NodeEventsController {
  constructor(private readonly ingest: IngestService) {}

  @Post('events/ingest')
  @NodeRoute()
  @HttpCode(200)
  @ApiOperation({ summary: "Ingest a batch of the store's events (at most 1,000): idempotent by eventId, durable before the answer" })
  @ApiZodBody(ingestRequestSchema)
  @ApiZodResponse(ingestResponseSchema)
  @ApiErrors(BATCH_TOO_LARGE)
  ingestBatch(
    @CurrentNode() node: NodePrincipal,
    @ZodBody(ingestRequestSchema, { itemsCheckedOneByOne: true }) body: z.output<typeof ingestRequestSchema>,
  ): Promise<IngestResponse> {
    return this.ingest.ingest({ scope: node.scope, storeId: node.storeId, origin: 'hub' }, body.events);
  }

  @Get('nodes/events')
  @NodeRoute()
  @ApiOperation({ summary: 'The events created at HQ for this store, in cloud order: what the agent hands to its hub' })
  @ApiZodQuery(eventsQuerySchema)
  @ApiZodResponse(cloudEventsPageSchema)
  cloudEvents(@CurrentNode() node: NodePrincipal, @ZodQuery(eventsQuerySchema) query: z.output<typeof eventsQuerySchema>): Promise<CloudEventsPage> {
    return this.ingest.page(node.scope, node.storeId, query.after, query.limit, 'cloud');
  }
}
