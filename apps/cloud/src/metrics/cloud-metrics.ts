import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { collectProcessMetrics } from '@app/nest-kit';
import { MetricsRepository } from './metrics.repository.js';

const OPEN_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'DEAD_LETTER'];

/**
 * The cloud's Prometheus metrics, on a registry of this application (two applications in one
 * process, as in tests, do not collide). Counters are per replica; Prometheus sums them.
 */
@Injectable()
export class CloudMetrics {
  private readonly logger = new Logger(CloudMetrics.name);
  readonly registry = new Registry();

  readonly commandTransitions = new Counter({
    name: 'pos_cloud_command_transitions_total',
    help: 'Command state changes made by this replica, by event and new status',
    labelNames: ['event', 'status'] as const,
    registers: [this.registry],
  });

  readonly commandTimers = new Counter({
    name: 'pos_cloud_command_timers_total',
    help: 'Command timers (ack-timeout, retry-due) run by this replica: applied, or stale (the command had moved on)',
    labelNames: ['timer', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly ingestedEvents = new Counter({
    name: 'pos_cloud_ingested_events_total',
    help: 'Events received on ingest, by result (accepted, duplicate, rejected)',
    labelNames: ['result', 'origin'] as const,
    registers: [this.registry],
  });

  readonly projectionSkipped = new Counter({
    name: 'pos_cloud_projection_skipped_total',
    help: 'Ingested events a projection could not count and skipped (listed as projection dead letters), by projection and reason',
    labelNames: ['projection', 'reason'] as const,
    registers: [this.registry],
  });

  readonly longPollWaiters = new Gauge({
    name: 'pos_cloud_long_poll_waiters',
    help: 'Command long-polls held open on this replica',
    registers: [this.registry],
  });

  readonly deliveredCommands = new Counter({
    name: 'pos_cloud_commands_delivered_total',
    help: 'Commands handed to store nodes by this replica',
    registers: [this.registry],
  });

  constructor(repository: MetricsRepository) {
    const logger = this.logger;
    new Gauge({
      name: 'pos_cloud_commands',
      help: 'Commands in each open status (PENDING, DELIVERED, FAILED, DEAD_LETTER), across the cloud',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        try {
          const rows = await repository.openCommandCounts();
          for (const status of OPEN_STATUSES) this.set({ status }, Number(rows.find((r) => r.status === status)?.count ?? 0));
        } catch (error) {
          logger.warn(`commands gauge: ${(error as Error).message}`);
        }
      },
    });
    collectProcessMetrics(this.registry, 'pos_cloud_');
  }
}
