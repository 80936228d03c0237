import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { TicketsModule } from '../tickets/tickets.module.js';
import { EventRelay } from './event-relay.js';
import { EventStoreRepository } from './event-store.repository.js';
import { EventStoreService } from './event-store.service.js';
import { WriteHealth } from './write-health.js';

@Module({
  imports: [OrdersModule, TicketsModule, InventoryModule],
  providers: [EventStoreRepository, EventStoreService, EventRelay, WriteHealth],
  exports: [EventStoreService, EventRelay, WriteHealth],
})
export class EventStoreModule {}
