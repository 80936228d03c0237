import { Injectable } from '@nestjs/common';
import { InventoryRepository, type InventoryView } from './inventory.repository.js';

@Injectable()
export class InventoryQueryService {
  constructor(private readonly inventory: InventoryRepository) {}

  list(): InventoryView[] {
    return this.inventory.list();
  }
}
