import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  SYNC_DOMAINS,
  idSchema,
  publishRevisionRequestSchema,
  type DomainStateResponse,
  type LatestRevisionsResponse,
  type PublishRevisionRequest,
  type PublishRevisionResponse,
  type SyncDomain,
} from '@app/contracts';
import { ZodBody, ZodParam } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { ApiZodBody } from '../openapi/zod-openapi.js';
import { RevisionsService } from './revisions.service.js';

@ApiTags('revisions')
@Controller('api/v1/stores/:storeId/revisions')
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Post()
  @OperatorRoute('ADMIN', 'MENU_EDITOR')
  @ApiOperation({ summary: 'Publish a revision of one domain (menu editors: the menu only); 409 when ifMatchRevision is stale' })
  @ApiZodBody(publishRevisionRequestSchema)
  publish(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodBody(publishRevisionRequestSchema) body: PublishRevisionRequest,
  ): Promise<PublishRevisionResponse> {
    return this.revisions.publish(operator, storeId, body);
  }

  @Get('latest')
  @OperatorRoute()
  @ApiOperation({ summary: 'Desired and applied revision of each domain, with who published it and when' })
  latest(@CurrentOperator() operator: OperatorPrincipal, @ZodParam('storeId', idSchema) storeId: string): Promise<LatestRevisionsResponse> {
    return this.revisions.latest(operator.scope, storeId);
  }

  @Get(':domain/latest')
  @OperatorRoute()
  @ApiOperation({ summary: 'The desired state of one domain, for an editor to load' })
  desired(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodParam('domain', z.enum(SYNC_DOMAINS)) domain: SyncDomain,
  ): Promise<DomainStateResponse> {
    return this.revisions.desiredState(operator.scope, storeId, domain);
  }
}
