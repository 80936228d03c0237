import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { ClusterTokenClaims } from '@app/contracts';
import { AppException } from '@app/nest-kit';
import { EdgeAuthException, EdgeForbiddenException } from './edge-auth.exception.js';
import { EDGE_JWT } from './edge-jwt.strategy.js';
import { EDGE_ACCESS_POLICY, allowedRoles, type EdgeAccessPolicy } from './edge-route.metadata.js';

/** Authenticates the bearer cluster token, then checks the route's roles. */
@Injectable()
export class EdgeAuthGuard extends AuthGuard(EDGE_JWT) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<EdgeAccessPolicy | undefined>(EDGE_ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (policy?.kind === 'public') return true;
    await super.canActivate(context);
    const caller = context.switchToHttp().getRequest<{ user?: ClusterTokenClaims }>().user;
    const roles = allowedRoles(policy?.kind === 'token' ? policy.roles : []);
    if (!caller || !roles.includes(caller.role))
      throw new EdgeForbiddenException(`this route is for ${roles.join(' or ') || 'nobody'}, not for a ${caller?.role ?? 'caller without a role'}`);
    return true;
  }

  override handleRequest<TUser = ClusterTokenClaims>(error: unknown, user: unknown, info: unknown): TUser {
    if (error instanceof AppException) throw error;
    if (error || !user) {
      const name = (info as { name?: unknown } | undefined)?.name;
      const detail =
        name === 'TokenExpiredError'
          ? 'token has expired'
          : name === 'JsonWebTokenError' || name === 'NotBeforeError'
            ? 'token is not valid here'
            : 'a bearer cluster token is required';
      throw new EdgeAuthException('unauthorized', detail);
    }
    return user as TUser;
  }
}
