import { Global, Inject, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { EdgeConfig } from '../config/edge-config.js';
import { SQLITE, openEdgeDatabase, type SqliteDatabase } from './sqlite-database.js';
import { WalCheckpointer } from './wal-checkpointer.js';

const logger = new Logger('EdgeDatabase');

@Global()
@Module({
  providers: [
    { provide: SQLITE, inject: [EdgeConfig], useFactory: (config: EdgeConfig) => openEdgeDatabase(config.dataDir) },
    {
      provide: WalCheckpointer,
      inject: [SQLITE],
      useFactory: (db: SqliteDatabase) =>
        new WalCheckpointer(db.name, (error) =>
          logger.warn({ err: error }, `the WAL checkpointer stopped (${error.message}); commits checkpoint the WAL themselves from now on`),
        ),
    },
  ],
  exports: [SQLITE],
})
export class EdgeDatabaseModule implements OnModuleDestroy {
  constructor(
    @Inject(SQLITE) private readonly db: SqliteDatabase,
    private readonly checkpointer: WalCheckpointer,
  ) {}

  async onModuleDestroy(): Promise<void> {
    // The checkpointer's connection goes first, so that the writer's close is the last one: it
    // checkpoints what is left and removes the WAL.
    await this.checkpointer.stop();
    if (this.db.open) this.db.close();
  }
}
