import { Module } from '@nestjs/common';
import { EdgeAuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { SqliteTransaction } from '../database/sqlite-transaction.js';
import { RevocationsController } from './revocations.controller.js';
import { RevocationsService } from './revocations.service.js';
import { TrustController } from './trust.controller.js';
import { TrustRepository } from './trust.repository.js';
import { TrustService } from './trust.service.js';

@Module({
  imports: [AuthModule, EdgeAuditModule],
  controllers: [TrustController, RevocationsController],
  providers: [TrustService, TrustRepository, RevocationsService, SqliteTransaction],
  exports: [TrustService],
})
export class TrustModule {}
