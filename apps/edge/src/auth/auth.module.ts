import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ClusterTokenService } from './cluster-token.service.js';
import { EdgeAuthGuard } from './edge-auth.guard.js';
import { EdgeJwtStrategy } from './edge-jwt.strategy.js';
import { EdgeRoutePolicyCheck } from './edge-route-policy.check.js';
import { KnownDevicesRepository } from './known-devices.repository.js';

@Module({
  imports: [PassportModule, DiscoveryModule],
  providers: [ClusterTokenService, KnownDevicesRepository, EdgeJwtStrategy, EdgeAuthGuard, EdgeRoutePolicyCheck],
  exports: [ClusterTokenService, EdgeAuthGuard],
})
export class AuthModule {}
