import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  bootstrapTokenRequestSchema,
  idSchema,
  revokeNodeRequestSchema,
  bootstrapTokenResponseSchema,
  storeNodesResponseSchema,
  storeNodeViewSchema,
  type BootstrapTokenResponse,
  type StoreNodeView,
  type StoreNodesResponse,
} from '@app/contracts';
import { ZodBody, ZodParam } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { ApiZodBody } from '../openapi/zod-openapi.js';
import { NODE_ALREADY_REVOKED, NODE_NOT_FOUND, STORE_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { NodeAdminService } from './node-admin.service.js';

/** The body is optional: no body at all means the default TTL. */
const optionalBootstrapBody = z.preprocess((v) => v ?? {}, bootstrapTokenRequestSchema);

@ApiTags('nodes')
@Controller('api/v1')
export class NodeAdminController {
  constructor(private readonly admin: NodeAdminService) {}

  @Post('stores/:storeId/nodes/bootstrap')
  @OperatorRoute('ADMIN')
  @ApiOperation({ summary: "A one-time bootstrap token for the store's agent to register its node (default 24 h)" })
  @ApiZodBody(bootstrapTokenRequestSchema, { required: false })
  @ApiZodResponse(bootstrapTokenResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  bootstrap(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodBody(optionalBootstrapBody) body: z.output<typeof bootstrapTokenRequestSchema>,
  ): Promise<BootstrapTokenResponse> {
    return this.admin.createBootstrapToken(operator, storeId, body.ttlSeconds);
  }

  @Get('stores/:storeId/nodes')
  @OperatorRoute()
  @ApiOperation({ summary: "The store's nodes, the active one first" })
  @ApiZodResponse(storeNodesResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  list(@CurrentOperator() operator: OperatorPrincipal, @ZodParam('storeId', idSchema) storeId: string): Promise<StoreNodesResponse> {
    return this.admin.list(operator.scope, storeId);
  }

  @Post('nodes/:nodeId/revoke')
  @OperatorRoute('ADMIN')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a node: it is locked out at once' })
  @ApiZodBody(revokeNodeRequestSchema)
  @ApiZodResponse(storeNodeViewSchema)
  @ApiErrors(NODE_NOT_FOUND, NODE_ALREADY_REVOKED)
  revoke(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('nodeId', idSchema) nodeId: string,
    @ZodBody(revokeNodeRequestSchema) body: z.output<typeof revokeNodeRequestSchema>,
  ): Promise<StoreNodeView> {
    return this.admin.revoke(operator, nodeId, body.reason);
  }
}
