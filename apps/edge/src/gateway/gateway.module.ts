import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { LogRetentionModule } from '../retention/log-retention.module.js';
import { CatchUpPacer } from './catch-up-pacer.js';
import { DeviceBacklog } from './device-backlog.js';
import { DeviceNotifier } from './device-notifier.js';
import { DeviceRegistry } from './device-registry.js';
import { HubGateway } from './hub.gateway.js';

@Module({
  imports: [AuthModule, EventStoreModule, LogRetentionModule],
  providers: [HubGateway, DeviceNotifier, DeviceRegistry, DeviceBacklog, CatchUpPacer],
  exports: [DeviceNotifier],
})
export class GatewayModule {}
