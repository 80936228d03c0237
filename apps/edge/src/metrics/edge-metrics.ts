import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { APPEND_ERROR_CODES, type AppendAck, type AppendErrorCode } from '@app/contracts';
import { collectProcessMetrics } from '@app/nest-kit';

type CounterChild = ReturnType<Counter['labels']>;

/**
 * The hub's Prometheus metrics (docs/edge.md, Metrics), on a registry of this application (two
 * hubs in one process, as in tests, do not collide). The event store and the gateway record into
 * them on their hot path, so every series is bound once here and recorded once per group commit
 * where it can be: a group of 200 appends costs one increment per outcome, not 200. Gauges that
 * need other services (devices, outbox) are read on scrape by HubGauges.
 */
@Injectable()
export class EdgeMetrics {
  readonly registry = new Registry();

  private readonly appends = new Counter({
    name: 'pos_edge_appends_total',
    help:
      'Event appends answered by the hub, by result (accepted, duplicate, refused) and, for refusals, the code of the ack ' +
      '(RATE_LIMITED, INVALID, VERSION_CONFLICT...)',
    labelNames: ['result', 'code'] as const,
    registers: [this.registry],
  });

  private readonly accepted: CounterChild = this.appends.labels({ result: 'accepted' });
  private readonly duplicate: CounterChild = this.appends.labels({ result: 'duplicate' });
  private readonly refused = Object.fromEntries(APPEND_ERROR_CODES.map((code) => [code, this.appends.labels({ result: 'refused', code })])) as Record<
    AppendErrorCode,
    CounterChild
  >;

  private readonly relayDeliveries = new Counter({
    name: 'pos_edge_relay_deliveries_total',
    help: 'Committed events sent to the devices of the realm: one per event and receiving device',
    registers: [this.registry],
  });

  private readonly ackDuration = new Histogram({
    name: 'pos_edge_append_ack_duration_seconds',
    help: 'Time from the receipt of an append to its ack, for appends that reached a group commit (refusals before it are answered at once)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly commitSize = new Histogram({
    name: 'pos_edge_group_commit_events',
    help: 'Appends committed together in one transaction (one fsync)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });

  private readonly commitDuration = new Histogram({
    name: 'pos_edge_group_commit_duration_seconds',
    help: 'Time to commit one group: its checks, writes and fsync (synchronous=FULL)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly devicesDropped = new Counter({
    name: 'pos_edge_devices_dropped_total',
    help: 'Device connections the hub closed itself, by reason (BACKLOG_EXCEEDED: the device stopped reading and its backlog passed the bound)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    this.devicesDropped.labels({ reason: 'BACKLOG_EXCEEDED' }).inc(0);
    // Every series from the start, at 0: a rate over a refusal that has never happened yet is 0, not absent.
    for (const child of [this.accepted, this.duplicate, ...Object.values(this.refused)]) child.inc(0);
    collectProcessMetrics(this.registry, 'pos_edge_');
  }

  /** One answered append. */
  countAck(ack: AppendAck): void {
    if (!ack.ok) this.refused[ack.code].inc();
    else (ack.duplicate ? this.duplicate : this.accepted).inc();
  }

  /** The acks of one group commit. */
  countAcks(acks: readonly AppendAck[]): void {
    let accepted = 0;
    let duplicate = 0;
    for (const ack of acks) {
      if (!ack.ok) this.refused[ack.code].inc();
      else if (ack.duplicate) duplicate += 1;
      else accepted += 1;
    }
    if (accepted > 0) this.accepted.inc(accepted);
    if (duplicate > 0) this.duplicate.inc(duplicate);
  }

  /** `count` appends refused with one code (a group the writer could not commit, a shutdown). */
  countRefused(code: AppendErrorCode, count: number): void {
    if (count > 0) this.refused[code].inc(count);
  }

  observeCommit(events: number, seconds: number): void {
    this.commitSize.observe(events);
    this.commitDuration.observe(seconds);
  }

  observeAck(seconds: number): void {
    this.ackDuration.observe(seconds);
  }

  countDeviceDropped(reason: 'BACKLOG_EXCEEDED'): void {
    this.devicesDropped.labels({ reason }).inc();
  }

  countDeliveries(deliveries: number): void {
    if (deliveries > 0) this.relayDeliveries.inc(deliveries);
  }
}
