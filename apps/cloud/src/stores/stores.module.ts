import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { FleetModule } from '../fleet/fleet.module.js';
import { StoresController } from './stores.controller.js';
import { StoresRepository } from './stores.repository.js';
import { StoresService } from './stores.service.js';

@Module({
  imports: [FleetModule, AuditModule],
  controllers: [StoresController],
  providers: [StoresRepository, StoresService],
  exports: [StoresRepository, StoresService],
})
export class StoresModule {}
