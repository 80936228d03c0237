import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ClusterTokenService } from './cluster-token.service.js';
import { EdgeAuthGuard } from './edge-auth.guard.js';
import { EdgeJwtStrategy } from './edge-jwt.strategy.js';
import { KnownDevicesRepository } from './known-devices.repository.js';

@Module({
  imports: [PassportModule],
  providers: [ClusterTokenService, KnownDevicesRepository, EdgeJwtStrategy, EdgeAuthGuard],
  exports: [ClusterTokenService, EdgeAuthGuard],
})
export class AuthModule {}
