import { Global, Module } from '@nestjs/common';
import { CloudMetrics } from './cloud-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRepository } from './metrics.repository.js';

@Global()
@Module({ controllers: [MetricsController], providers: [MetricsRepository, CloudMetrics], exports: [CloudMetrics] })
export class MetricsModule {}
