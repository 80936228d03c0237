import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  createStoreRequestSchema,
  idSchema,
  fleetResponseSchema,
  fleetStoreViewSchema,
  type CreateStoreRequest,
  type FleetResponse,
  type FleetStoreView,
} from '@app/contracts';
import { ZodBody, ZodParam } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { operatorActor } from '../common/actor.js';
import { ApiZodBody } from '../openapi/zod-openapi.js';
import { STORE_CODE_TAKEN, STORE_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { StoresService } from './stores.service.js';

@ApiTags('stores')
@Controller('api/v1/stores')
export class StoresController {
  constructor(private readonly stores: StoresService) {}

  @Get()
  @OperatorRoute()
  @ApiOperation({ summary: 'The fleet view: every store of the tenant with its health and sync state' })
  @ApiZodResponse(fleetResponseSchema)
  list(@CurrentOperator() operator: OperatorPrincipal): Promise<FleetResponse> {
    return this.stores.fleetView(operator.scope);
  }

  @Post()
  @OperatorRoute('ADMIN')
  @ApiOperation({ summary: 'Create a store' })
  @ApiZodBody(createStoreRequestSchema)
  @ApiZodResponse(fleetStoreViewSchema)
  @ApiErrors(STORE_CODE_TAKEN)
  create(@CurrentOperator() operator: OperatorPrincipal, @ZodBody(createStoreRequestSchema) body: CreateStoreRequest): Promise<FleetStoreView> {
    return this.stores.create(operator.scope, operatorActor(operator.operatorId), body);
  }

  @Get(':storeId')
  @OperatorRoute()
  @ApiOperation({ summary: 'One store of the fleet view' })
  @ApiZodResponse(fleetStoreViewSchema)
  @ApiErrors(STORE_NOT_FOUND)
  get(@CurrentOperator() operator: OperatorPrincipal, @ZodParam('storeId', idSchema) storeId: string): Promise<FleetStoreView> {
    return this.stores.view(operator.scope, storeId);
  }
}
