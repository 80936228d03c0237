import { Controller, Get } from '@nestjs/common';
import { EdgeRoute } from '../auth/edge-route.decorators.js';
import type { InventoryView } from './inventory.repository.js';
import { InventoryQueryService } from './inventory-query.service.js';

@Controller('api/v1/inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryQueryService) {}

  @Get()
  @EdgeRoute('device')
  list(): { items: InventoryView[] } {
    return { items: this.inventory.list() };
  }
}
