import { SetMetadata, UseGuards, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { OPERATOR_ROLES, type OperatorRoleName } from '@app/contracts';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy.metadata.js';
import { NodeAuthGuard } from './node-auth.guard.js';
import { OperatorAuthGuard } from './operator-auth.guard.js';
import type { NodePrincipal, OperatorPrincipal } from './principals.js';
import { RolesGuard } from './roles.guard.js';

/*
 * Every route declares who may call it, and a route without a declaration does not start (see
 * RoutePolicyCheck): the twenty model, where a missing guard is a build failure, not a review note.
 */

/** Anyone may call it: login, registration with a bootstrap token, public keys, health, metrics. */
export const Public = () => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy);

/** An operator of one of these roles (all roles when none is named); scoped to the operator's tenant. */
export const OperatorRoute = (...roles: OperatorRoleName[]) =>
  applyDecorators(
    SetMetadata(ACCESS_POLICY, { kind: 'operator', roles: roles.length > 0 ? roles : OPERATOR_ROLES } satisfies AccessPolicy),
    UseGuards(OperatorAuthGuard, RolesGuard),
    ApiBearerAuth('operator'),
  );

/** A store node with a valid access token that is active in the database right now. */
export const NodeRoute = () =>
  applyDecorators(SetMetadata(ACCESS_POLICY, { kind: 'node' } satisfies AccessPolicy), UseGuards(NodeAuthGuard), ApiSecurity('node'));

export const CurrentOperator = createParamDecorator((_data: unknown, context: ExecutionContext): OperatorPrincipal => {
  const user = context.switchToHttp().getRequest<{ user?: OperatorPrincipal }>().user;
  if (user?.kind !== 'operator') throw new Error('CurrentOperator used on a route that is not an OperatorRoute');
  return user;
});

export const CurrentNode = createParamDecorator((_data: unknown, context: ExecutionContext): NodePrincipal => {
  const user = context.switchToHttp().getRequest<{ user?: NodePrincipal }>().user;
  if (user?.kind !== 'node') throw new Error('CurrentNode used on a route that is not a NodeRoute');
  return user;
});
