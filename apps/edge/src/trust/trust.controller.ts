import { Controller, Get, Put } from '@nestjs/common';
import { trustSigningKeysRequestSchema, type ClusterTokenClaims, type TrustSigningKeysRequest, type TrustedSigningKeysResponse } from '@app/contracts';
import { ZodBody } from '@app/nest-kit';
import { Caller, EdgeRoute } from '../auth/edge-route.decorators.js';
import { TrustService } from './trust.service.js';

@Controller('api/v1/trust/signing-keys')
export class TrustController {
  constructor(private readonly trust: TrustService) {}

  /** The agent hands over the cloud's command keys (from /api/v1/keys or registration) as received. */
  @Put()
  @EdgeRoute('agent')
  replace(@Caller() caller: ClusterTokenClaims, @ZodBody(trustSigningKeysRequestSchema) body: TrustSigningKeysRequest): TrustedSigningKeysResponse {
    return this.trust.trustToken(body.token, caller.sub);
  }

  @Get()
  @EdgeRoute('agent')
  current(): TrustedSigningKeysResponse {
    return this.trust.current();
  }
}
