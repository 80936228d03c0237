import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { CLUSTER_TOKEN_AUDIENCE, type ClusterTokenClaims } from '@app/contracts';
import { EdgeConfig } from '../config/edge-config.js';
import { ClusterTokenService } from './cluster-token.service.js';

export const EDGE_JWT = 'edge-cluster-jwt';

const bearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt checks signature, algorithm and audience; `validate` then applies the cluster-token
 * rules shared with the Socket.IO handshake (claims shape, realm, `nbf` and expiry with the clock
 * tolerance and the offline grace).
 */
@Injectable()
export class EdgeJwtStrategy extends PassportStrategy(Strategy, EDGE_JWT) {
  constructor(
    config: EdgeConfig,
    private readonly tokens: ClusterTokenService,
  ) {
    super({
      jwtFromRequest: bearer,
      secretOrKey: config.clusterPublicKey.export({ type: 'spki', format: 'pem' }).toString(),
      algorithms: ['ES256'],
      audience: CLUSTER_TOKEN_AUDIENCE,
      // Expiry is ClusterTokenService's call: known devices have an offline grace (SYSTEM.md 4.5).
      ignoreExpiration: true,
      // So is `nbf`: one clock tolerance for HTTP and the socket (EDGE_TOKEN_CLOCK_TOLERANCE_SECONDS);
      // jsonwebtoken's own check would give HTTP none.
      jsonWebTokenOptions: { ignoreNotBefore: true },
      passReqToCallback: true,
    });
  }

  validate(request: Request, _payload: unknown): ClusterTokenClaims {
    return this.tokens.verify(bearer(request) ?? '');
  }
}
