import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { CloudEventsController } from './cloud-events.controller.js';
import { CloudEventsService } from './cloud-events.service.js';

@Module({ imports: [AuthModule, EventStoreModule], controllers: [CloudEventsController], providers: [CloudEventsService] })
export class CloudEventsModule {}
