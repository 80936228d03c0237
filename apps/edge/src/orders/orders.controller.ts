import { Controller, Get } from '@nestjs/common';
import { ordersQuerySchema, type OrdersQuery } from '@app/contracts';
import { ZodQuery } from '@app/nest-kit';
import { EdgeRoute } from '../auth/edge-route.decorators.js';
import type { OrderView } from './order-view.js';
import { OrdersQueryService } from './orders-query.service.js';

@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersQueryService) {}

  @Get()
  @EdgeRoute('device')
  list(@ZodQuery(ordersQuerySchema) query: OrdersQuery): { orders: OrderView[] } {
    return { orders: this.orders.list(query) };
  }
}
