import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PublicEdgeRoute } from '../auth/edge-route.decorators.js';
import { EdgeHealthService, type EdgeHealth } from './health.service.js';

@Controller()
export class EdgeHealthController {
  constructor(private readonly health: EdgeHealthService) {}

  /** 200 when the event store takes writes, 503 otherwise (docker-compose.edge.yml health check). */
  @Get('healthz')
  @PublicEdgeRoute()
  healthz(@Res({ passthrough: true }) res: Response): EdgeHealth {
    const result = this.health.check();
    res.status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
