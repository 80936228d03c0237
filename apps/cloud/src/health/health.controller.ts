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

  /** 200 when MySQL and Redis answer, 503 otherwise, with what failed. */
  @Get('healthz')
  @Public()
  @ApiOperation({ summary: '200 when MySQL and Redis answer, 503 naming what failed' })
  @ApiZodResponse(cloudHealthSchema, { description: 'MySQL and Redis answer' })
  @ApiZodResponse(cloudHealthSchema, { status: 503, description: 'MySQL or Redis does not answer: checks say which' })
  async healthz(@Res({ passthrough: true }) res: Response): Promise<CloudHealth> {
    const result = await this.health.check();
    res.status(result.status === 'ok' ? 200 : 503);
    return result;
  }
}
