import { Controller, Get } from '@nestjs/common';
import { edgeAuditQuerySchema, type EdgeAuditPage, type EdgeAuditQuery } from '@app/contracts';
import { ZodQuery } from '@app/nest-kit';
import { EdgeRoute } from '../auth/edge-route.decorators.js';
import { EdgeAuditService } from './audit.service.js';

@Controller('api/v1/audit')
export class EdgeAuditController {
  constructor(private readonly audit: EdgeAuditService) {}

  @Get()
  @EdgeRoute('agent')
  list(@ZodQuery(edgeAuditQuerySchema) query: EdgeAuditQuery): EdgeAuditPage {
    return this.audit.list(query);
  }
}
