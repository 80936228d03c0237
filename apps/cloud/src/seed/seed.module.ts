import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@app/nest-kit';
import type { CloudConfig } from '../config/cloud-config.js';
import { CloudConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { OperatorsRepository } from '../operators/operators.repository.js';
import { StoresModule } from '../stores/stores.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { DemoSeedService } from './demo-seed.service.js';

@Module({})
export class SeedModule {
  static forRoot(config: CloudConfig): DynamicModule {
    return {
      module: SeedModule,
      imports: [CloudConfigModule.forRoot(config), LoggerModule.forRoot(loggerOptions('seed', config.logLevel)), DatabaseModule, TenantsModule, StoresModule],
      providers: [OperatorsRepository, DemoSeedService],
    };
  }
}
