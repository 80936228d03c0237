import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@app/nest-kit';
import type { AgentConfig } from './config/agent-config.js';
import { AgentConfigModule } from './config/config.module.js';
import { EdgeMonitorService } from './edge/edge-monitor.service.js';

/** The store agent: a standalone Nest application, outbound connections only, no HTTP server. */
@Module({})
export class AgentModule {
  static forRoot(config: AgentConfig): DynamicModule {
    return {
      module: AgentModule,
      imports: [AgentConfigModule.forRoot(config), LoggerModule.forRoot(loggerOptions('store-agent', config.logLevel))],
      providers: [EdgeMonitorService],
    };
  }
}
