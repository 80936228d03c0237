import { Module } from '@nestjs/common';
import { EdgeAuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { SqliteTransaction } from '../database/sqlite-transaction.js';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { OutboxController } from './outbox.controller.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';

@Module({
  imports: [AuthModule, EdgeAuditModule, EventStoreModule],
  controllers: [OutboxController],
  providers: [OutboxService, OutboxRepository, SqliteTransaction],
  exports: [OutboxService],
})
export class OutboxModule {}
