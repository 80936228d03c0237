import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { DiskProbe } from './disk-probe.service.js';
import { EdgeHealthController } from './health.controller.js';
import { EdgeHealthRepository } from './health.repository.js';
import { EdgeHealthService } from './health.service.js';

@Module({ imports: [EventStoreModule], controllers: [EdgeHealthController], providers: [EdgeHealthService, EdgeHealthRepository, DiskProbe] })
export class EdgeHealthModule {}
