import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { auditQuerySchema, auditListResponseSchema, type AuditListResponse } from '@app/contracts';
import { ZodQuery } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { ApiZodQuery } from '../openapi/zod-openapi.js';
import { StoresService } from '../stores/stores.service.js';
import { STORE_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly stores: StoresService,
  ) {}

  @Get()
  @OperatorRoute()
  @ApiOperation({ summary: "The tenant's audit log, newest first (optionally one store's)" })
  @ApiZodQuery(auditQuerySchema)
  @ApiZodResponse(auditListResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  async list(@CurrentOperator() operator: OperatorPrincipal, @ZodQuery(auditQuerySchema) query: z.output<typeof auditQuerySchema>): Promise<AuditListResponse> {
    if (query.storeId !== undefined) await this.stores.require(operator.scope, query.storeId);
    return this.audit.list(operator.scope, query);
  }
}
