import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit/audit.module.js';
import { NodesDataModule } from '../nodes/nodes-data.module.js';
import { OperatorsModule } from '../operators/operators.module.js';
import { AccessTokensService } from './access-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { NodeJwtStrategy } from './node-jwt.strategy.js';
import { OperatorJwtStrategy } from './operator-jwt.strategy.js';
import { LoginThrottleGuard } from './login-throttle.guard.js';
import { RoutePolicyCheck } from './route-policy.check.js';

@Module({
  imports: [
    DiscoveryModule,
    PassportModule,
    OperatorsModule,
    NodesDataModule,
    AuditModule,
  ],
  controllers: [AuthController],
  providers: [AccessTokensService, AuthService, LoginThrottleGuard, OperatorJwtStrategy, NodeJwtStrategy, RoutePolicyCheck],
  exports: [AccessTokensService],
})
export class AuthModule {}
