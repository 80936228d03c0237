import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { CloudEventAppendResponse, ClusterTokenClaims } from '@app/contracts';
import { Caller, EdgeRoute } from '../auth/edge-route.decorators.js';
import { CloudEventsService } from './cloud-events.service.js';

@Controller('api/v1/events')
export class CloudEventsController {
  constructor(private readonly cloudEvents: CloudEventsService) {}

  /** An EventBase; the event store validates it (schema, realm, version) exactly as a device's. */
  @Post()
  @HttpCode(200)
  @EdgeRoute('agent')
  append(@Caller() caller: ClusterTokenClaims, @Body() event: unknown): Promise<CloudEventAppendResponse> {
    return this.cloudEvents.append(event, caller);
  }
}
