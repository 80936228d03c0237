import { Controller, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { deviceTokenRequestSchema, idSchema, deviceTokenResponseSchema, type DeviceTokenResponse } from '@app/contracts';
import { ZodBody, ZodParam } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { ApiZodBody } from '../openapi/zod-openapi.js';
import { STORE_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { DeviceTokensService } from './device-tokens.service.js';

@ApiTags('devices')
@Controller('api/v1/stores/:storeId/device-tokens')
export class DeviceTokensController {
  constructor(private readonly tokens: DeviceTokensService) {}

  @Post()
  @OperatorRoute('ADMIN')
  @ApiOperation({ summary: "A cluster token (role device) for a till or display of the store's hub (default 12 h)" })
  @ApiZodBody(deviceTokenRequestSchema)
  @ApiZodResponse(deviceTokenResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  issue(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodBody(deviceTokenRequestSchema) body: z.output<typeof deviceTokenRequestSchema>,
  ): Promise<DeviceTokenResponse> {
    return this.tokens.issue(operator, storeId, body.deviceId, body.ttlSeconds);
  }
}
