import { Module } from '@nestjs/common';
import { TicketsController } from './tickets.controller.js';
import { TicketsQueryService } from './tickets-query.service.js';
import { TicketsRepository } from './tickets.repository.js';

@Module({ controllers: [TicketsController], providers: [TicketsRepository, TicketsQueryService], exports: [TicketsRepository, TicketsQueryService] })
export class TicketsModule {}
