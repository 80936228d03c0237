import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AgentConfig } from './agent-config.js';

@Global()
@Module({})
export class AgentConfigModule {
  static forRoot(config: AgentConfig): DynamicModule {
    return { module: AgentConfigModule, providers: [{ provide: AgentConfig, useValue: config }], exports: [AgentConfig] };
  }
}
