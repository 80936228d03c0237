import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { StoresModule } from '../stores/stores.module.js';
import { IngestRepository } from './ingest.repository.js';
import { IngestService } from './ingest.service.js';
import { NodeEventsController } from './node-events.controller.js';
import { StoreEventsController } from './store-events.controller.js';

@Module({
  imports: [AuditModule, ProjectionsModule, StoresModule],
  controllers: [NodeEventsController, StoreEventsController],
  providers: [IngestRepository, IngestService],
  exports: [IngestService],
})
export class IngestModule {}
