import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller.js';
import { OrdersQueryService } from './orders-query.service.js';
import { OrdersRepository } from './orders.repository.js';

@Module({ controllers: [OrdersController], providers: [OrdersRepository, OrdersQueryService], exports: [OrdersRepository, OrdersQueryService] })
export class OrdersModule {}
