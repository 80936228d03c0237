import { Module } from '@nestjs/common';
import { NodesDataModule } from '../nodes/nodes-data.module.js';
import { FleetRepository } from './fleet.repository.js';
import { FleetService } from './fleet.service.js';

@Module({ imports: [NodesDataModule], providers: [FleetRepository, FleetService], exports: [FleetService] })
export class FleetModule {}
