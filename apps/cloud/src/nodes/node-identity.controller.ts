import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  heartbeatRequestSchema,
  registerNodeRequestSchema,
  renewNodeTokenRequestSchema,
  registerNodeResponseSchema,
  renewNodeTokenResponseSchema,
  heartbeatResponseSchema,
  keysResponseSchema,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type KeysResponse,
  type RegisterNodeRequest,
  type RegisterNodeResponse,
  type RenewNodeTokenRequest,
  type RenewNodeTokenResponse,
} from '@app/contracts';
import { ZodBody } from '@app/nest-kit';
import { CurrentNode, NodeRoute, Public } from '../auth/access-policy.js';
import type { NodePrincipal } from '../auth/principals.js';
import { ApiZodBody } from '../openapi/zod-openapi.js';
import { BOOTSTRAP_TOKEN_EXPIRED, BOOTSTRAP_TOKEN_INVALID, BOOTSTRAP_TOKEN_USED, NODE_INVALID_CREDENTIALS, NODE_REVOKED } from '../openapi/api-errors.js';
import { ApiErrors, ApiZodResponse } from '../openapi/api-responses.js';
import { NodeCredentialsService } from './node-credentials.service.js';
import { NodeIdentityService } from './node-identity.service.js';

@ApiTags('nodes')
@Controller('api/v1')
export class NodeIdentityController {
  constructor(
    private readonly identity: NodeIdentityService,
    private readonly credentials: NodeCredentialsService,
  ) {}

  @Post('nodes/register')
  @Public()
  @ApiOperation({ summary: 'Register a node with a one-time bootstrap token; answers its credentials and the keys it must trust' })
  @ApiZodBody(registerNodeRequestSchema)
  @ApiZodResponse(registerNodeResponseSchema)
  @ApiErrors(BOOTSTRAP_TOKEN_INVALID, BOOTSTRAP_TOKEN_USED, BOOTSTRAP_TOKEN_EXPIRED)
  register(@ZodBody(registerNodeRequestSchema) body: RegisterNodeRequest): Promise<RegisterNodeResponse> {
    return this.identity.register(body);
  }

  @Post('nodes/token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Renew the node access token (and agent token) with the node secret' })
  @ApiZodBody(renewNodeTokenRequestSchema)
  @ApiZodResponse(renewNodeTokenResponseSchema)
  @ApiErrors(NODE_INVALID_CREDENTIALS, NODE_REVOKED)
  renew(@ZodBody(renewNodeTokenRequestSchema) body: RenewNodeTokenRequest): Promise<RenewNodeTokenResponse> {
    return this.identity.renew(body);
  }

  @Post('nodes/heartbeat')
  @NodeRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Report liveness, software version, applied revisions and uplink state' })
  @ApiZodBody(heartbeatRequestSchema)
  @ApiZodResponse(heartbeatResponseSchema)
  heartbeat(@CurrentNode() node: NodePrincipal, @ZodBody(heartbeatRequestSchema) body: HeartbeatRequest): Promise<HeartbeatResponse> {
    return this.identity.heartbeat(node, body);
  }

  @Get('keys')
  @Public()
  @ApiOperation({ summary: 'The command-signing public keys (several during a rotation) and the cluster public key' })
  @ApiZodResponse(keysResponseSchema)
  keys(): KeysResponse {
    return this.credentials.keys();
  }
}
