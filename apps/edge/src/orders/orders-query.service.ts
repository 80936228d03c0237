import { Injectable } from '@nestjs/common';
import type { OrdersQuery } from '@app/contracts';
import type { OrderView } from './order-view.js';
import { OrdersRepository } from './orders.repository.js';

@Injectable()
export class OrdersQueryService {
  constructor(private readonly orders: OrdersRepository) {}

  list(query: OrdersQuery): OrderView[] {
    return this.orders.list(query.status, Date.now());
  }

  find(orderId: string): OrderView | null {
    return this.orders.find(orderId, Date.now());
  }
}
