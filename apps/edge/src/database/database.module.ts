import { Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { EdgeConfig } from '../config/edge-config.js';
import { SQLITE, openEdgeDatabase, type SqliteDatabase } from './sqlite-database.js';

@Global()
@Module({
  providers: [{ provide: SQLITE, inject: [EdgeConfig], useFactory: (config: EdgeConfig) => openEdgeDatabase(config.dataDir) }],
  exports: [SQLITE],
})
export class EdgeDatabaseModule implements OnModuleDestroy {
  constructor(@Inject(SQLITE) private readonly db: SqliteDatabase) {}

  onModuleDestroy(): void {
    if (this.db.open) this.db.close();
  }
}
