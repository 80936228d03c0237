import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@app/nest-kit';
import { EdgeConfigModule } from './config/config.module.js';
import type { EdgeConfig } from './config/edge-config.js';
import { EdgeDatabaseModule } from './database/database.module.js';
import { EdgeHealthModule } from './health/health.module.js';
import { AuthModule } from './auth/auth.module.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import { EdgeAuditModule } from './audit/audit.module.js';
import { CloudEventsModule } from './cloud-events/cloud-events.module.js';
import { CommandsModule } from './commands/commands.module.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { StateModule } from './state/state.module.js';
import { StatusModule } from './status/status.module.js';
import { TrustModule } from './trust/trust.module.js';

@Module({})
export class EdgeAppModule {
  static forRoot(config: EdgeConfig): DynamicModule {
    return {
      module: EdgeAppModule,
      imports: [
        EdgeConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions('edge', config.logLevel)),
        EdgeDatabaseModule,
        EdgeHealthModule,
        AuthModule,
        EventStoreModule,
        GatewayModule,
        StateModule,
        TrustModule,
        CommandsModule,
        EdgeAuditModule,
        OutboxModule,
        CloudEventsModule,
        StatusModule,
        MetricsModule,
        DiscoveryModule,
      ],
    };
  }
}
