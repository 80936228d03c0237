import { Controller, Get, Put } from '@nestjs/common';
import {
  outboxCursorRequestSchema,
  outboxQuerySchema,
  type ClusterTokenClaims,
  type OutboxCursorRequest,
  type OutboxCursorResponse,
  type OutboxPage,
} from '@app/contracts';
import { ZodBody, ZodQuery } from '@app/nest-kit';
import type { z } from 'zod';
import { Caller, EdgeRoute } from '../auth/edge-route.decorators.js';
import { OutboxService } from './outbox.service.js';

@Controller('api/v1/outbox')
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @EdgeRoute('agent')
  read(@ZodQuery(outboxQuerySchema) query: z.output<typeof outboxQuerySchema>): OutboxPage {
    return this.outbox.read(query.after, query.limit);
  }

  @Put('cursor')
  @EdgeRoute('agent')
  moveCursor(@Caller() caller: ClusterTokenClaims, @ZodBody(outboxCursorRequestSchema) body: OutboxCursorRequest): OutboxCursorResponse {
    return this.outbox.moveCursor(body.cursor, caller.sub);
  }
}
