import { Module } from '@nestjs/common';
import { RevisionsModule } from '../revisions/revisions.module.js';
import { StoresModule } from '../stores/stores.module.js';
import { ProjectionDeadLettersController } from './projection-dead-letters.controller.js';
import { ProjectionsRepository } from './projections.repository.js';
import { ProjectionsScheduler } from './projections.scheduler.js';
import { ProjectionsService } from './projections.service.js';
import { SalesService } from './sales.service.js';

@Module({
  imports: [RevisionsModule, StoresModule],
  controllers: [ProjectionDeadLettersController],
  providers: [ProjectionsRepository, ProjectionsScheduler, ProjectionsService, SalesService],
  exports: [ProjectionsScheduler, SalesService, ProjectionsService],
})
export class ProjectionsModule {}
