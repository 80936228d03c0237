import { Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { NODE_JWT } from './node-jwt.strategy.js';
import { authFailure } from './passport-errors.js';
import type { NodePrincipal } from './principals.js';

@Injectable()
export class NodeAuthGuard extends AuthGuard(NODE_JWT) {
  override handleRequest<TUser = NodePrincipal>(error: unknown, user: unknown, info: unknown, _context: ExecutionContext): TUser {
    if (error || !user) throw authFailure(error, info);
    return user as TUser;
  }
}
