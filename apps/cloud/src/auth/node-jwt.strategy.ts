import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { NODE_TOKEN_AUDIENCE, nodeTokenClaimsSchema, validate } from '@app/contracts';
import { CloudConfig } from '../config/cloud-config.js';
import { NodesRepository } from '../nodes/nodes.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { AuthException } from './auth.exception.js';
import type { NodePrincipal } from './principals.js';

export const NODE_JWT = 'node-jwt';

/**
 * Verifies a node's access token, then checks the node in the database on every request, so a
 * revocation locks the node out at once rather than when its token expires.
 */
@Injectable()
export class NodeJwtStrategy extends PassportStrategy(Strategy, NODE_JWT) {
  constructor(
    config: CloudConfig,
    private readonly nodes: NodesRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.authJwtKey as unknown as string,
      algorithms: ['HS256'],
      audience: NODE_TOKEN_AUDIENCE,
    });
  }

  async validate(payload: unknown): Promise<NodePrincipal> {
    const claims = validate(nodeTokenClaimsSchema, payload);
    if (!claims.ok) throw new AuthException('TOKEN_INVALID', 'not a node token');
    const node = await this.nodes.findForAuthentication(claims.value.sub);
    if (!node || node.tenantId !== claims.value.tenantId || node.storeId !== claims.value.storeId)
      throw new AuthException('TOKEN_INVALID', 'the node of this token does not exist');
    if (node.status !== 'ACTIVE') throw new AuthException('NODE_REVOKED', `this node was revoked${node.revokedReason ? `: ${node.revokedReason}` : ''}`);
    return { kind: 'node', nodeId: node.id, tenantId: node.tenantId, storeId: node.storeId, scope: tenantScope(node.tenantId) };
  }
}
