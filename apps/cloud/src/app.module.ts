import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@app/nest-kit';
import type { CloudConfig } from './config/cloud-config.js';
import { CloudConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { OperatorsModule } from './operators/operators.module.js';
import { RedisModule } from './redis/redis.module.js';
import { StoresModule } from './stores/stores.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

@Module({})
export class AppModule {
  static forRoot(config: CloudConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CloudConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions('cloud', config.logLevel)),
        DatabaseModule,
        RedisModule,
        HealthModule,
        TenantsModule,
        OperatorsModule,
        StoresModule,
      ],
    };
  }
}
