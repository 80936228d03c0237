import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/access-policy.js';
import { CloudMetrics } from './cloud-metrics.js';

@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: CloudMetrics) {}

  /** Prometheus text format. */
  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
