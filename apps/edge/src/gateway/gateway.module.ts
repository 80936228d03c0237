import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { LogRetentionModule } from '../retention/log-retention.module.js';
import { DeviceNotifier } from './device-notifier.js';
import { DeviceRegistry } from './device-registry.js';
import { HubGateway } from './hub.gateway.js';

@Module({
  imports: [AuthModule, EventStoreModule, LogRetentionModule],
  providers: [HubGateway, DeviceNotifier, DeviceRegistry],
  exports: [DeviceNotifier],
})
export class GatewayModule {}
