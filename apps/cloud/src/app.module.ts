import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@app/nest-kit';
import { AuditHttpModule } from './audit/audit-http.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CommandsModule } from './commands/commands.module.js';
import type { CloudConfig } from './config/cloud-config.js';
import { CloudConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DeviceTokensModule } from './device-tokens/device-tokens.module.js';
import { HealthModule } from './health/health.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NodesModule } from './nodes/nodes.module.js';
import { OperatorsModule } from './operators/operators.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { ReconciliationModule } from './reconciliation/reconciliation.module.js';
import { RedisModule } from './redis/redis.module.js';
import { RevisionsModule } from './revisions/revisions.module.js';
import { StoresModule } from './stores/stores.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { WorkersModule } from './workers/workers.module.js';

@Module({})
export class AppModule {
  static forRoot(config: CloudConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CloudConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions('cloud', config.logLevel)),
        LifecycleModule,
        DatabaseModule,
        RedisModule,
        QueuesModule,
        MetricsModule,
        HealthModule,
        TenantsModule,
        OperatorsModule,
        AuthModule,
        StoresModule,
        NodesModule,
        RevisionsModule,
        CommandsModule,
        ReconciliationModule,
        IngestModule,
        DeviceTokensModule,
        AuditHttpModule,
        WorkersModule,
      ],
    };
  }
}
