import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EdgeConfig } from './edge-config.js';

@Global()
@Module({})
export class EdgeConfigModule {
  static forRoot(config: EdgeConfig): DynamicModule {
    return { module: EdgeConfigModule, providers: [{ provide: EdgeConfig, useValue: config }], exports: [EdgeConfig] };
  }
}
