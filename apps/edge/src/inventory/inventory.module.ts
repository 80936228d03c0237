import { Module } from '@nestjs/common';
import { InventoryController } from './inventory.controller.js';
import { InventoryQueryService } from './inventory-query.service.js';
import { InventoryRepository } from './inventory.repository.js';

@Module({ controllers: [InventoryController], providers: [InventoryRepository, InventoryQueryService], exports: [InventoryRepository, InventoryQueryService] })
export class InventoryModule {}
