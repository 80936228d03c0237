import { Module } from '@nestjs/common';
import { EdgeAuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { SqliteTransaction } from '../database/sqlite-transaction.js';
import { GatewayModule } from '../gateway/gateway.module.js';
import { StateModule } from '../state/state.module.js';
import { TrustModule } from '../trust/trust.module.js';
import { AppliedCommandsRepository } from './applied-commands.repository.js';
import { CommandsController } from './commands.controller.js';
import { CommandsService } from './commands.service.js';

@Module({
  imports: [AuthModule, EdgeAuditModule, GatewayModule, StateModule, TrustModule],
  controllers: [CommandsController],
  providers: [CommandsService, AppliedCommandsRepository, SqliteTransaction],
})
export class CommandsModule {}
