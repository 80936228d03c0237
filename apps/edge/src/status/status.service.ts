import { Injectable } from '@nestjs/common';
import type { EdgeStatus } from '@app/contracts';
import { EdgeConfig } from '../config/edge-config.js';
import { EventStoreService } from '../event-store/event-store.service.js';
import { DeviceNotifier } from '../gateway/device-notifier.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { StateService } from '../state/state.service.js';
import { readSoftwareVersion } from './software-version.js';

/** What a field tech or the agent's heartbeat reads about the hub (SYSTEM.md 4.3). */
@Injectable()
export class StatusService {
  private readonly softwareVersion = readSoftwareVersion();

  constructor(
    private readonly config: EdgeConfig,
    private readonly events: EventStoreService,
    private readonly devices: DeviceNotifier,
    private readonly outbox: OutboxService,
    private readonly state: StateService,
  ) {}

  status(): EdgeStatus {
    const devices = this.devices.connectedDevices().map(({ deviceId, role, connectedAt }) => ({ deviceId, role, connectedAt }));
    const outbox = this.outbox.state();
    return {
      realm: { tenantId: this.config.tenantId, storeId: this.config.storeId },
      hubId: this.events.leaderId(),
      softwareVersion: this.softwareVersion,
      connectedDevices: devices.length,
      devices,
      latestSeq: outbox.latestSeq,
      outboxDepth: outbox.outboxDepth,
      cloudCursor: outbox.cloudCursor,
      lastCloudSyncAt: outbox.lastCloudSyncAt,
      appliedRevisions: this.state.appliedRevisions(),
    };
  }
}
