import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthService, type CloudHealth } from './health.service.js';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when MySQL and Redis answer, 503 otherwise, with what failed. */
  @Get('healthz')
  async healthz(@Res({ passthrough: true }) res: Response): Promise<CloudHealth> {
    const result = await this.health.check();
    res.status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
