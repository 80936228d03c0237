import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventStoreService } from '../event-store/event-store.service.js';
import { WriteHealth, diskFaultOf, reasonOf } from '../event-store/write-health.js';
import { EdgeHealthRepository } from './health.repository.js';

/** How often, while the disk is at fault, the probe tries a write the size of a few events. */
export const DISK_PROBE_INTERVAL_MS = 2_000;

/**
 * While a disk fault is set (WriteHealth), tries a write that needs new pages, as appends do, so
 * that the hub sees the space come back, and /healthz turns 200 again, with no traffic at all.
 */
@Injectable()
export class DiskProbe implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DiskProbe.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repository: EdgeHealthRepository,
    private readonly writes: WriteHealth,
    private readonly store: EventStoreService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.probe(), DISK_PROBE_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One probe, if a disk fault is set. */
  probe(): void {
    if (!this.writes.diskFault()) return;
    try {
      this.repository.writeSpaceProbe();
      this.store.diskRecovered();
    } catch (error) {
      const kind = diskFaultOf(error);
      if (kind) this.writes.diskFailed(kind, reasonOf(error));
      this.logger.debug({ reason: reasonOf(error) }, `disk probe: still failing (${reasonOf(error)})`);
    }
  }
}
