import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy.metadata.js';
import { AuthException } from './auth.exception.js';
import type { OperatorPrincipal } from './principals.js';

/** Runs after OperatorAuthGuard: the operator's current role (from the database) must be listed. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    const operator = context.switchToHttp().getRequest<{ user?: OperatorPrincipal }>().user;
    if (policy?.kind !== 'operator' || operator?.kind !== 'operator') throw new AuthException('FORBIDDEN', 'not allowed');
    if (!policy.roles.includes(operator.role)) throw new AuthException('FORBIDDEN', `role ${operator.role} may not do this`);
    return true;
  }
}
