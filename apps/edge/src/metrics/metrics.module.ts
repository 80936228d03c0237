import { Global, Module } from '@nestjs/common';
import { GatewayModule } from '../gateway/gateway.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { EdgeMetrics } from './edge-metrics.js';
import { HubGauges } from './hub-gauges.js';
import { MetricsController } from './metrics.controller.js';

/** Global: the event store and the gateway record into EdgeMetrics without importing this module. */
@Global()
@Module({ imports: [GatewayModule, OutboxModule], controllers: [MetricsController], providers: [EdgeMetrics, HubGauges], exports: [EdgeMetrics] })
export class MetricsModule {}
