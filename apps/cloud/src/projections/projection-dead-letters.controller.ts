import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { idSchema, projectionDeadLettersPageSchema, projectionDeadLettersQuerySchema, type ProjectionDeadLettersPage } from '@app/contracts';
import { ZodParam, ZodQuery } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { STORE_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { ProjectionsService } from './projections.service.js';

@ApiTags('events')
@Controller('api/v1/stores/:storeId/projections')
export class ProjectionDeadLettersController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get('dead-letters')
  @OperatorRoute()
  @ApiOperation({ summary: "Ingested events the store's projections (sales) could not count and skipped, with the reason, in cloud order (cursor: cloudSeq)" })
  @ApiZodResponse(projectionDeadLettersPageSchema)
  @ApiErrors(STORE_NOT_FOUND)
  deadLetters(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodQuery(projectionDeadLettersQuerySchema) query: z.output<typeof projectionDeadLettersQuerySchema>,
  ): Promise<ProjectionDeadLettersPage> {
    return this.projections.deadLetters(operator.scope, storeId, query);
  }
}
