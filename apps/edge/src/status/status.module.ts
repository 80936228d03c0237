import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { GatewayModule } from '../gateway/gateway.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { StateModule } from '../state/state.module.js';
import { StatusController } from './status.controller.js';
import { StatusService } from './status.service.js';

@Module({ imports: [EventStoreModule, GatewayModule, OutboxModule, StateModule], controllers: [StatusController], providers: [StatusService] })
export class StatusModule {}
