import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  bulkRetryRequestSchema,
  commandListQuerySchema,
  idSchema,
  retryCommandRequestSchema,
  uuidSchema,
  commandListResponseSchema,
  commandDetailViewSchema,
  bulkRetryResponseSchema,
  commandViewSchema,
  type BulkRetryResponse,
  type CommandDetailView,
  type CommandListResponse,
  type CommandView,
} from '@app/contracts';
import { ZodBody, ZodParam, ZodQuery } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { COMMAND_NOT_FOUND, COMMAND_NOT_RETRYABLE, STORE_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { CommandOpsService } from './command-ops.service.js';

const storeCommandListQuerySchema = commandListQuerySchema.omit({ storeId: true });

@ApiTags('commands')
@Controller('api/v1')
export class CommandOpsController {
  constructor(private readonly ops: CommandOpsService) {}

  @Get('commands')
  @OperatorRoute()
  @ApiOperation({ summary: "The tenant's commands, newest first (filter by status and store; cursor pagination)" })
  @ApiZodQuery(commandListQuerySchema)
  @ApiZodResponse(commandListResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  list(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodQuery(commandListQuerySchema) query: z.output<typeof commandListQuerySchema>,
  ): Promise<CommandListResponse> {
    return this.ops.list(operator.scope, query);
  }

  @Get('stores/:storeId/commands')
  @OperatorRoute()
  @ApiOperation({ summary: "One store's commands, newest first" })
  @ApiZodQuery(storeCommandListQuerySchema)
  @ApiZodResponse(commandListResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  listOfStore(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodQuery(storeCommandListQuerySchema) query: z.output<typeof storeCommandListQuerySchema>,
  ): Promise<CommandListResponse> {
    return this.ops.list(operator.scope, { ...query, storeId });
  }

  @Get('commands/:commandId')
  @OperatorRoute()
  @ApiOperation({ summary: 'One command with every state change it went through' })
  @ApiZodResponse(commandDetailViewSchema)
  @ApiErrors(COMMAND_NOT_FOUND)
  detail(@CurrentOperator() operator: OperatorPrincipal, @ZodParam('commandId', uuidSchema) commandId: string): Promise<CommandDetailView> {
    return this.ops.detail(operator.scope, commandId);
  }

  @Post('commands/retry')
  @OperatorRoute('ADMIN', 'SUPPORT')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry several FAILED or DEAD_LETTER commands; the others are reported as skipped' })
  @ApiZodBody(bulkRetryRequestSchema)
  @ApiZodResponse(bulkRetryResponseSchema)
  bulkRetry(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodBody(bulkRetryRequestSchema) body: z.output<typeof bulkRetryRequestSchema>,
  ): Promise<BulkRetryResponse> {
    return this.ops.bulkRetry(operator, body.commandIds, body.reason);
  }

  @Post('commands/:commandId/retry')
  @OperatorRoute('ADMIN', 'SUPPORT')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a FAILED or DEAD_LETTER command again: PENDING, attempts reset, audited with the reason' })
  @ApiZodBody(retryCommandRequestSchema)
  @ApiZodResponse(commandViewSchema)
  @ApiErrors(COMMAND_NOT_FOUND, COMMAND_NOT_RETRYABLE)
  retry(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('commandId', uuidSchema) commandId: string,
    @ZodBody(retryCommandRequestSchema) body: z.output<typeof retryCommandRequestSchema>,
  ): Promise<CommandView> {
    return this.ops.retry(operator, commandId, body.reason);
  }
}
