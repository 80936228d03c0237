import { Injectable } from '@nestjs/common';
import type { TicketsQuery } from '@app/contracts';
import type { TicketView } from './ticket-view.js';
import { TicketsRepository } from './tickets.repository.js';

@Injectable()
export class TicketsQueryService {
  constructor(private readonly tickets: TicketsRepository) {}

  list(query: TicketsQuery): TicketView[] {
    return this.tickets.list(query.station ?? null, query.status ?? null);
  }
}
