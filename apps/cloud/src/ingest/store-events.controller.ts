import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  cloudEventRequestSchema,
  eventsQuerySchema,
  idSchema,
  salesQuerySchema,
  cloudEventsPageSchema,
  ingestResponseSchema,
  salesResponseSchema,
  type CloudEventsPage,
  type IngestResponse,
  type SalesResponse,
} from '@app/contracts';
import { ZodBody, ZodParam, ZodQuery } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { operatorActor } from '../common/actor.js';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { SalesService } from '../projections/sales.service.js';
import { StoresService } from '../stores/stores.service.js';
import { SALES_RANGE_INVALID, STORE_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { IngestService } from './ingest.service.js';

/** Largest batch of events HQ may create in one request (cloudEventRequestSchema). */
const MAX_CLOUD_EVENTS = 500;

@ApiTags('events')
@Controller('api/v1/stores/:storeId')
export class StoreEventsController {
  constructor(
    private readonly stores: StoresService,
    private readonly ingest: IngestService,
    private readonly sales: SalesService,
  ) {}

  @Get('events')
  @OperatorRoute()
  @ApiOperation({ summary: "The store's events in cloud order (cursor: cloudSeq)" })
  @ApiZodQuery(eventsQuerySchema)
  @ApiZodResponse(cloudEventsPageSchema)
  @ApiErrors(STORE_NOT_FOUND)
  async list(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodQuery(eventsQuerySchema) query: z.output<typeof eventsQuerySchema>,
  ): Promise<CloudEventsPage> {
    const store = await this.stores.require(operator.scope, storeId);
    return this.ingest.page(operator.scope, store.id, query.after, query.limit);
  }

  @Post('events')
  @OperatorRoute('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create events at HQ for the store (e.g. an inventory.adjusted stock delivery); the agent hands them to the hub' })
  @ApiZodBody(cloudEventRequestSchema)
  @ApiZodResponse(ingestResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  async create(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodBody(cloudEventRequestSchema, { itemsCheckedOneByOne: true }) body: z.output<typeof cloudEventRequestSchema>,
  ): Promise<IngestResponse> {
    const store = await this.stores.require(operator.scope, storeId);
    return this.ingest.ingest(
      { scope: operator.scope, storeId: store.id, origin: 'cloud', auditAs: operatorActor(operator.operatorId), maxBatch: MAX_CLOUD_EVENTS },
      body.events,
    );
  }

  @Get('sales')
  @OperatorRoute()
  @ApiOperation({ summary: "Orders paid and sales per day, in the store's time zone (default: the last 31 days)" })
  @ApiZodQuery(salesQuerySchema)
  @ApiZodResponse(salesResponseSchema)
  @ApiErrors(STORE_NOT_FOUND, SALES_RANGE_INVALID)
  async salesPerDay(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodQuery(salesQuerySchema) query: z.output<typeof salesQuerySchema>,
  ): Promise<SalesResponse> {
    const store = await this.stores.require(operator.scope, storeId);
    return this.sales.perDay(operator.scope, store, query);
  }
}
