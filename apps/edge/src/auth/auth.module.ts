import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ClusterTokenService } from './cluster-token.service.js';
import { EdgeAuthGuard } from './edge-auth.guard.js';
import { EdgeJwtStrategy } from './edge-jwt.strategy.js';
import { EdgeRoutePolicyCheck } from './edge-route-policy.check.js';
import { SqliteTransaction } from '../database/sqlite-transaction.js';
import { KnownDevicesRepository } from './known-devices.repository.js';
import { RevokedTokensRepository } from './revoked-tokens.repository.js';
import { TokenRevocations } from './token-revocations.service.js';

@Module({
  imports: [PassportModule, DiscoveryModule],
  providers: [
    ClusterTokenService,
    KnownDevicesRepository,
    RevokedTokensRepository,
    TokenRevocations,
    SqliteTransaction,
    EdgeJwtStrategy,
    EdgeAuthGuard,
    EdgeRoutePolicyCheck,
  ],
  exports: [ClusterTokenService, TokenRevocations, EdgeAuthGuard],
})
export class AuthModule {}
