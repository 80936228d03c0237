import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { NODE_TOKEN_AUDIENCE, OPERATOR_TOKEN_AUDIENCE, type NodeTokenClaims, type OperatorRoleName, type OperatorTokenClaims } from '@app/contracts';
import { CloudConfig } from '../config/cloud-config.js';

export const OPERATOR_TOKEN_TTL_SECONDS = 12 * 3600;
export const NODE_TOKEN_TTL_SECONDS = 15 * 60;

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Signs the cloud's own access tokens (HS256 with AUTH_JWT_SECRET); passport-jwt verifies them. */
@Injectable()
export class AccessTokensService {
  constructor(private readonly config: CloudConfig) {}

  signOperatorToken(operator: { id: string; tenantId: string; role: OperatorRoleName }, now = Date.now()): IssuedToken {
    const iat = Math.floor(now / 1000);
    const claims: OperatorTokenClaims = {
      typ: 'operator',
      sub: operator.id,
      tenantId: operator.tenantId,
      role: operator.role,
      aud: OPERATOR_TOKEN_AUDIENCE,
      iat,
      exp: iat + OPERATOR_TOKEN_TTL_SECONDS,
    };
    return { token: jwt.sign(claims, this.config.authJwtKey, { algorithm: 'HS256' }), expiresAt: new Date(claims.exp * 1000) };
  }

  signNodeToken(node: { id: string; tenantId: string; storeId: string }, now = Date.now()): IssuedToken {
    const iat = Math.floor(now / 1000);
    const claims: NodeTokenClaims = {
      typ: 'node',
      sub: node.id,
      tenantId: node.tenantId,
      storeId: node.storeId,
      aud: NODE_TOKEN_AUDIENCE,
      iat,
      exp: iat + NODE_TOKEN_TTL_SECONDS,
    };
    return { token: jwt.sign(claims, this.config.authJwtKey, { algorithm: 'HS256' }), expiresAt: new Date(claims.exp * 1000) };
  }
}
