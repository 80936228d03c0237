import { Injectable, Logger } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DeviceNotifier } from '../gateway/device-notifier.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { EdgeMetrics } from './edge-metrics.js';

/**
 * The hub's gauges, read when Prometheus scrapes rather than kept up to date on every change:
 * the devices connected and the outbox depth, as /status computes them (one indexed count of the
 * events after the cloud cursor).
 */
@Injectable()
export class HubGauges {
  private readonly logger = new Logger(HubGauges.name);

  constructor(metrics: EdgeMetrics, devices: DeviceNotifier, outbox: OutboxService) {
    const logger = this.logger;
    new Gauge({
      name: 'pos_edge_connected_devices',
      help: 'Socket.IO connections of devices (and the agent) open on the hub',
      registers: [metrics.registry],
      collect() {
        this.set(devices.connectedDevices().length);
      },
    });
    new Gauge({
      name: 'pos_edge_outbox_events',
      help: 'Events of device origin committed at the hub and not yet durable in the cloud (/status outboxDepth)',
      registers: [metrics.registry],
      collect() {
        try {
          this.set(outbox.state().outboxDepth);
        } catch (error) {
          logger.warn(`outbox gauge: ${(error as Error).message}`);
        }
      },
    });
  }
}
