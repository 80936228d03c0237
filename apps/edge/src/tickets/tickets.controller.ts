import { Controller, Get } from '@nestjs/common';
import { ticketsQuerySchema, type TicketsQuery } from '@app/contracts';
import { ZodQuery } from '@app/nest-kit';
import { EdgeRoute } from '../auth/edge-route.decorators.js';
import type { TicketView } from './ticket-view.js';
import { TicketsQueryService } from './tickets-query.service.js';

@Controller('api/v1/tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsQueryService) {}

  @Get()
  @EdgeRoute('device')
  list(@ZodQuery(ticketsQuerySchema) query: TicketsQuery): { tickets: TicketView[] } {
    return { tickets: this.tickets.list(query) };
  }
}
