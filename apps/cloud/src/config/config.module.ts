import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CloudConfig } from './cloud-config.js';

@Global()
@Module({})
export class CloudConfigModule {
  static forRoot(config: CloudConfig): DynamicModule {
    return { module: CloudConfigModule, providers: [{ provide: CloudConfig, useValue: config }], exports: [CloudConfig] };
  }
}
