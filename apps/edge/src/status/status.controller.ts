import { Controller, Get } from '@nestjs/common';
import type { EdgeStatus } from '@app/contracts';
import { PublicEdgeRoute } from '../auth/edge-route.decorators.js';
import { StatusService } from './status.service.js';

@Controller()
export class StatusController {
  constructor(private readonly status: StatusService) {}

  /** Anyone on the LAN: no secret in it (SYSTEM.md 6). */
  @Get('status')
  @PublicEdgeRoute()
  get(): EdgeStatus {
    return this.status.status();
  }
}
