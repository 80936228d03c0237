import { Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  SYNC_DOMAINS,
  idSchema,
  publishFleetRevisionRequestSchema,
  publishRevisionRequestSchema,
  publishFleetRevisionResponseSchema,
  publishRevisionResponseSchema,
  latestRevisionsResponseSchema,
  domainStateResponseSchema,
  type DomainStateResponse,
  type LatestRevisionsResponse,
  type PublishFleetRevisionRequest,
  type PublishFleetRevisionResponse,
  type PublishRevisionRequest,
  type PublishRevisionResponse,
  type SyncDomain,
} from '@app/contracts';
import { ZodBody, ZodParam } from '@app/nest-kit';
import { CurrentOperator, OperatorRoute } from '../auth/access-policy.js';
import type { OperatorPrincipal } from '../auth/principals.js';
import { ApiZodBody } from '../openapi/zod-openapi.js';
import { MENU_EDITOR_DOMAIN, REVISION_CONFLICT, REVISION_TOO_LARGE, STORE_NOT_FOUND } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { RevisionsService } from './revisions.service.js';

@ApiTags('revisions')
@Controller('api/v1')
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Post('revisions')
  @OperatorRoute('ADMIN', 'MENU_EDITOR')
  @ApiOperation({ summary: 'Publish the same change to many stores at once (all of them or none); each store gets a revision on top of its own state' })
  @ApiZodBody(publishFleetRevisionRequestSchema)
  @ApiZodResponse(publishFleetRevisionResponseSchema)
  @ApiErrors(STORE_NOT_FOUND, MENU_EDITOR_DOMAIN, REVISION_TOO_LARGE)
  publishFleet(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodBody(publishFleetRevisionRequestSchema) body: PublishFleetRevisionRequest,
  ): Promise<PublishFleetRevisionResponse> {
    return this.revisions.publishFleet(operator, body);
  }

  @Post('stores/:storeId/revisions')
  @OperatorRoute('ADMIN', 'MENU_EDITOR')
  @ApiOperation({
    summary:
      'Publish a revision of one domain (menu editors: the menu only); 409 when ifMatchRevision is stale, 413 when its command would be ' +
      'larger than a store accepts',
  })
  @ApiZodBody(publishRevisionRequestSchema)
  @ApiZodResponse(publishRevisionResponseSchema)
  @ApiErrors(STORE_NOT_FOUND, MENU_EDITOR_DOMAIN, REVISION_CONFLICT, REVISION_TOO_LARGE)
  publish(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodBody(publishRevisionRequestSchema) body: PublishRevisionRequest,
  ): Promise<PublishRevisionResponse> {
    return this.revisions.publish(operator, storeId, body);
  }

  @Get('stores/:storeId/revisions/latest')
  @OperatorRoute()
  @ApiOperation({ summary: 'Desired and applied revision of each domain, with who published it and when' })
  @ApiZodResponse(latestRevisionsResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  latest(@CurrentOperator() operator: OperatorPrincipal, @ZodParam('storeId', idSchema) storeId: string): Promise<LatestRevisionsResponse> {
    return this.revisions.latest(operator.scope, storeId);
  }

  @Get('stores/:storeId/revisions/:domain/latest')
  @OperatorRoute()
  @ApiOperation({ summary: 'The desired state of one domain, for an editor to load' })
  @ApiZodResponse(domainStateResponseSchema)
  @ApiErrors(STORE_NOT_FOUND)
  desired(
    @CurrentOperator() operator: OperatorPrincipal,
    @ZodParam('storeId', idSchema) storeId: string,
    @ZodParam('domain', z.enum(SYNC_DOMAINS)) domain: SyncDomain,
  ): Promise<DomainStateResponse> {
    return this.revisions.desiredState(operator.scope, storeId, domain);
  }
}
