import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { EdgeConfig } from '../config/edge-config.js';
import { EdgeMetrics } from '../metrics/edge-metrics.js';
import { LogRetentionRepository } from './log-retention.repository.js';

const DAY_MS = 86_400_000;

/**
 * Between two batches: a timer, not setImmediate, so the event loop polls the sockets first and
 * the appends that arrived during a batch commit (their group is flushed on setImmediate) before
 * the next batch starts. An append waits for one batch at most.
 */
const yieldToAppends = () => sleep(1);
/** Batches of the events that older runs kept (orders open then): a few, each run. */
const RELEASED_BATCHES_PER_RUN = 10;

export interface PruneReport {
  deleted: number;
  /** The pruned bound after the run: a device whose cursor is below it must take a snapshot. */
  prunedThrough: number;
  batches: number;
  /** The longest a batch held the database (appends wait that long at most), in ms. */
  longestBatchMs: number;
}

/**
 * Log retention on the hub (docs/edge.md, Retention). Every EDGE_LOG_PRUNE_INTERVAL_SECONDS it
 * marks how far the log reaches, then prunes the events that the cloud already holds (seq at or
 * below the cloud cursor) and that were appended more than EDGE_LOG_RETENTION_DAYS ago, except
 * what still needs them (an open order's or ticket's events, the latest event, the highest
 * Lamport time). It runs on the main thread, like the writer, in batches of EDGE_LOG_PRUNE_BATCH
 * events, each one short transaction, yielding to the event loop between them so appends queued
 * meanwhile commit in between. Each pruned event leaves its id (dedupe stays exact) and a device
 * whose cursor falls below the pruned bound is told to take a snapshot (hello.ack).
 */
@Injectable()
export class LogRetentionService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LogRetentionService.name);
  private readonly prunedEvents: Counter;
  private through = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PruneReport> | null = null;
  private stopped = false;

  constructor(
    private readonly config: EdgeConfig,
    private readonly retention: LogRetentionRepository,
    metrics: EdgeMetrics,
  ) {
    this.prunedEvents = new Counter({
      name: 'pos_edge_log_pruned_events_total',
      help: 'Events pruned from the hub log once the cloud held them and their retention had passed',
      registers: [metrics.registry],
    });
    const through = () => this.through;
    new Gauge({
      name: 'pos_edge_log_pruned_through_seq',
      help: 'The seq up to which the hub log was pruned: devices whose cursor is below it take a snapshot',
      registers: [metrics.registry],
      collect() {
        this.set(through());
      },
    });
  }

  onModuleInit(): void {
    this.through = this.retention.prunedThrough();
  }

  onApplicationBootstrap(): void {
    if (this.config.logRetention.days === null) return;
    const run = () => {
      this.prune().catch((error: unknown) => this.logger.error({ err: error }, `pruning the event log failed: ${(error as Error).message}`));
    };
    this.timer = setInterval(run, this.config.logRetention.intervalSeconds * 1_000);
    this.timer.unref();
    // The first mark at start: events are dated from it on.
    setImmediate(run).unref();
  }

  onModuleDestroy(): Promise<unknown> | undefined {
    this.stopped = true;
    clearInterval(this.timer);
    // A run in progress stops after its batch, before the database closes.
    return this.running?.catch(() => undefined);
  }

  /** Every event up to this seq is gone, unless something kept it; 0 when the log is whole. */
  prunedThrough(): number {
    return this.through;
  }

  /** One run (at most one at a time): mark the log, then prune what is past its window. */
  prune(now = Date.now()): Promise<PruneReport> {
    this.running ??= this.run(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(now: number): Promise<PruneReport> {
    const { days, batchSize } = this.config.logRetention;
    const report: PruneReport = { deleted: 0, prunedThrough: this.through, batches: 0, longestBatchMs: 0 };
    const latest = this.retention.latestSeq();
    if (latest > 0) this.retention.mark(latest, now);
    if (days === null) return report;
    const cutoff = now - days * DAY_MS;
    // Durable in the cloud, old enough, and never the latest event (the next seq follows it).
    const bound = Math.min(this.retention.cloudCursor(), this.retention.markedBy(cutoff), latest - 1);
    const timed = (batch: () => number) => {
      const started = performance.now();
      const deleted = batch();
      report.longestBatchMs = Math.max(report.longestBatchMs, performance.now() - started);
      report.batches += 1;
      report.deleted += deleted;
      this.prunedEvents.inc(deleted);
      return deleted;
    };
    // Between two batches the hub may have begun shutting down, its database closed first.
    const going = () => !this.stopped && this.retention.isOpen();
    for (let i = 0; i < RELEASED_BATCHES_PER_RUN && going() && this.through > 0; i += 1) {
      if (timed(() => this.retention.pruneReleased(this.through, batchSize)) < batchSize) break;
      await yieldToAppends();
    }
    while (going() && this.through < bound) {
      let upto = this.through;
      timed(() => {
        const batch = this.retention.pruneBatch(this.through, bound, batchSize);
        upto = batch.upto;
        return batch.deleted;
      });
      this.through = upto;
      await yieldToAppends();
    }
    if (going()) this.retention.dropMarksOlderThan(cutoff);
    report.prunedThrough = this.through;
    if (report.deleted > 0)
      this.logger.log(
        { deleted: report.deleted, prunedThrough: this.through, batches: report.batches },
        `pruned ${report.deleted} event(s) the cloud holds, through seq ${this.through}`,
      );
    return report;
  }
}
