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
import { LoginAttemptsRepository } from './login-attempts.repository.js';
import { LoginThrottleInterceptor } from './login-throttle.interceptor.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { TrustedBrowserCookie } from './trusted-browser-cookie.js';
import { RoutePolicyCheck } from './route-policy.check.js';

@Module({
  imports: [DiscoveryModule, PassportModule, OperatorsModule, NodesDataModule, AuditModule],
  controllers: [AuthController],
  providers: [
    AccessTokensService,
    AuthService,
    LoginAttemptsRepository,
    LoginThrottleService,
    LoginThrottleInterceptor,
    TrustedBrowserCookie,
    OperatorJwtStrategy,
    NodeJwtStrategy,
    RoutePolicyCheck,
  ],
  exports: [AccessTokensService],
})
export class AuthModule {}
