import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { PublicEdgeRoute } from '../auth/edge-route.decorators.js';
import { EdgeMetrics } from './edge-metrics.js';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: EdgeMetrics) {}

  /** Prometheus text format; anyone on the LAN, like /status (no secret in it). */
  @Get('metrics')
  @PublicEdgeRoute()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
