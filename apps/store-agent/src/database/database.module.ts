import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AgentConfig } from '../config/agent-config.js';
import { AGENT_SQLITE, openAgentDatabase, type AgentSqlite } from './agent-database.js';

@Injectable()
class AgentDatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(AGENT_SQLITE) private readonly db: AgentSqlite) {}

  onApplicationShutdown(): void {
    if (this.db.open) this.db.close();
  }
}

@Global()
@Module({
  providers: [{ provide: AGENT_SQLITE, useFactory: (config: AgentConfig) => openAgentDatabase(config.dataDir), inject: [AgentConfig] }, AgentDatabaseCloser],
  exports: [AGENT_SQLITE],
})
export class AgentDatabaseModule {}
