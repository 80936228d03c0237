import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CloudConfig } from '../config/cloud-config.js';
import { createMysqlPool } from './mysql-pool.js';
import { PrismaService } from './prisma.service.js';
import { SqlPool } from './sql-pool.js';
import { TransactionRunner } from './transaction-runner.js';

@Global()
@Module({
  providers: [
    PrismaService,
    TransactionRunner,
    {
      provide: SqlPool,
      inject: [CloudConfig],
      useFactory: (config: CloudConfig) =>
        createMysqlPool({
          databaseUrl: config.databaseUrl,
          size: config.databasePoolSize,
          acquireTimeoutMs: config.databaseAcquireTimeoutMs,
          queryTimeoutMs: config.databaseQueryTimeoutMs,
        }),
    },
  ],
  exports: [PrismaService, TransactionRunner, SqlPool],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly pool: SqlPool) {}

  // Last of all, after queue workers and long-polls (closed in onModuleDestroy) have let go.
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
