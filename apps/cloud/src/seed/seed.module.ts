import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@app/nest-kit';
import type { CloudConfig } from '../config/cloud-config.js';
import { CloudConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OperatorsRepository } from '../operators/operators.repository.js';
import { LifecycleModule } from '../lifecycle/lifecycle.module.js';
import { QueuesModule } from '../queues/queues.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { RevisionsModule } from '../revisions/revisions.module.js';
import { StoresModule } from '../stores/stores.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { DemoSeedService } from './demo-seed.service.js';

/** What the demo seed needs: the publish path (which wakes long-polls through Redis), no workers. */
@Module({})
export class SeedModule {
  static forRoot(config: CloudConfig): DynamicModule {
    return {
      module: SeedModule,
      imports: [
        CloudConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions('seed', config.logLevel)),
        DatabaseModule,
        LifecycleModule,
        RedisModule,
        QueuesModule,
        MetricsModule,
        TenantsModule,
        StoresModule,
        RevisionsModule,
      ],
      providers: [OperatorsRepository, DemoSeedService],
    };
  }
}
