import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { trustRevocationsRequestSchema, type ClusterTokenClaims, type TrustRevocationsRequest, type TrustRevocationsResponse } from '@app/contracts';
import { ZodBody } from '@app/nest-kit';
import { Caller, EdgeRoute } from '../auth/edge-route.decorators.js';
import { RevocationsService } from './revocations.service.js';

@Controller('api/v1/trust/revocations')
export class RevocationsController {
  constructor(private readonly revocations: RevocationsService) {}

  /** The agent hands over the node-revocations token of its heartbeat answer, as received. */
  @Put()
  @EdgeRoute('agent')
  apply(@Caller() caller: ClusterTokenClaims, @ZodBody(trustRevocationsRequestSchema) body: TrustRevocationsRequest): TrustRevocationsResponse {
    return this.revocations.applyToken(body.token, caller.sub);
  }

  /** An agent the cloud told it is revoked (403 NODE_REVOKED) locks its own tokens out. */
  @Post('self')
  @HttpCode(200)
  @EdgeRoute('agent')
  revokeSelf(@Caller() caller: ClusterTokenClaims): TrustRevocationsResponse {
    return this.revocations.revokeCaller(caller);
  }

  @Get()
  @EdgeRoute('agent')
  current(): TrustRevocationsResponse {
    return this.revocations.current();
  }
}
