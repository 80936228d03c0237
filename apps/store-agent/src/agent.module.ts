import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@app/nest-kit';
import { AgentRunner } from './agent-runner.service.js';
import { CloudClient } from './cloud/cloud-client.js';
import { CommandAcksService } from './commands/command-acks.service.js';
import { CommandPoller } from './commands/command-poller.service.js';
import { CommandProcessor } from './commands/command-processor.service.js';
import type { AgentConfig } from './config/agent-config.js';
import { AgentConfigModule } from './config/config.module.js';
import { AgentStateRepository } from './database/agent-state.repository.js';
import { AgentDatabaseModule } from './database/database.module.js';
import { DownlinkService } from './downlink/downlink.service.js';
import { EdgeClient } from './edge/edge-client.js';
import { EdgeMonitorService } from './edge/edge-monitor.service.js';
import { TrustHandoffService } from './edge/trust-handoff.service.js';
import { AgentMetrics } from './heartbeat/agent-metrics.js';
import { HeartbeatService } from './heartbeat/heartbeat.service.js';
import { IdentityService } from './identity/identity.service.js';
import { UplinkService } from './uplink/uplink.service.js';

/** The store agent: a standalone Nest application, outbound connections only, no HTTP server. */
@Module({})
export class AgentModule {
  static forRoot(config: AgentConfig): DynamicModule {
    return {
      module: AgentModule,
      imports: [AgentConfigModule.forRoot(config), LoggerModule.forRoot(loggerOptions('store-agent', config.logLevel)), AgentDatabaseModule],
      providers: [
        AgentMetrics,
        AgentStateRepository,
        IdentityService,
        CloudClient,
        EdgeClient,
        EdgeMonitorService,
        TrustHandoffService,
        CommandProcessor,
        CommandAcksService,
        CommandPoller,
        UplinkService,
        DownlinkService,
        HeartbeatService,
        AgentRunner,
      ],
    };
  }
}
