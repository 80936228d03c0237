import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { OPERATOR_TOKEN_AUDIENCE, operatorTokenClaimsSchema, validate } from '@app/contracts';
import { CloudConfig } from '../config/cloud-config.js';
import { OperatorsRepository } from '../operators/operators.repository.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { AuthException } from './auth.exception.js';
import type { OperatorPrincipal } from './principals.js';

export const OPERATOR_JWT = 'operator-jwt';

/**
 * Verifies an operator's bearer token, then reloads the operator: a deactivated operator or a
 * changed role takes effect on the next request, not when the token expires.
 */
@Injectable()
export class OperatorJwtStrategy extends PassportStrategy(Strategy, OPERATOR_JWT) {
  constructor(
    config: CloudConfig,
    private readonly operators: OperatorsRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.authJwtKey as unknown as string,
      algorithms: ['HS256'],
      audience: OPERATOR_TOKEN_AUDIENCE,
    });
  }

  async validate(payload: unknown): Promise<OperatorPrincipal> {
    const claims = validate(operatorTokenClaimsSchema, payload);
    if (!claims.ok) throw new AuthException('TOKEN_INVALID', 'not an operator token');
    const scope = tenantScope(claims.value.tenantId);
    const operator = await this.operators.findWithTenant(scope, claims.value.sub);
    if (!operator) throw new AuthException('TOKEN_INVALID', 'the operator of this token no longer exists');
    if (!operator.active) throw new AuthException('OPERATOR_DISABLED', 'this operator is disabled');
    return {
      kind: 'operator',
      operatorId: operator.id,
      tenantId: operator.tenantId,
      tenantSlug: operator.tenantSlug,
      email: operator.email,
      displayName: operator.displayName,
      role: operator.role,
      scope,
    };
  }
}
