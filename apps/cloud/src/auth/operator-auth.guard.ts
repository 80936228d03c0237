import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { OPERATOR_JWT } from './operator-jwt.strategy.js';
import { authFailure } from './passport-errors.js';
import type { OperatorPrincipal } from './principals.js';

@Injectable()
export class OperatorAuthGuard extends AuthGuard(OPERATOR_JWT) {
  override handleRequest<TUser = OperatorPrincipal>(error: unknown, user: unknown, info: unknown, _context: ExecutionContext): TUser {
    if (error || !user) throw authFailure(error, info);
    return user as TUser;
  }
}
