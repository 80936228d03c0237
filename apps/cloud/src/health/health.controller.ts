import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { cloudHealthSchema, type CloudHealth } from '@app/contracts';
import { Public } from '../auth/access-policy.js';
import { ApiZodResponse } from '../openapi/api-responses.js';
import { HealthService } from './health.service.js';

@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when MySQL (both pools) and Redis answer within 2 s, 503 otherwise, with a code and what failed. */
  @Get('healthz')
  @Public()
  @ApiOperation({ summary: "200 when MySQL (the write path's pool and the reads') and Redis answer within 2 s, 503 with a code naming what failed" })
  @ApiZodResponse(cloudHealthSchema, { description: 'MySQL and Redis answer' })
  @ApiZodResponse(cloudHealthSchema, {
    status: 503,
    description:
      'code SHUTTING_DOWN (SIGTERM received: send requests elsewhere), DATABASE_UNAVAILABLE (no connection from a pool within 2 s, or no ' +
      'answer) or REDIS_UNAVAILABLE; checks say which',
  })
  async healthz(@Res({ passthrough: true }) res: Response): Promise<CloudHealth> {
    const result = await this.health.check();
    res.status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
