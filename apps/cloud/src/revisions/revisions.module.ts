import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CommandsModule } from '../commands/commands.module.js';
import { FleetModule } from '../fleet/fleet.module.js';
import { StoresModule } from '../stores/stores.module.js';
import { SyncStateModule } from '../sync-state/sync-state.module.js';
import { RevisionsController } from './revisions.controller.js';
import { RevisionsRepository } from './revisions.repository.js';
import { RevisionsService } from './revisions.service.js';

@Module({
  imports: [AuditModule, CommandsModule, FleetModule, StoresModule, SyncStateModule],
  controllers: [RevisionsController],
  providers: [RevisionsRepository, RevisionsService],
  exports: [RevisionsRepository, RevisionsService],
})
export class RevisionsModule {}
