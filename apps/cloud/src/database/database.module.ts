import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { CloudConfig } from '../config/cloud-config.js';
import { MYSQL_POOL, createMysqlPool } from './mysql-pool.js';
import { PrismaService } from './prisma.service.js';
import { TransactionRunner } from './transaction-runner.js';

@Global()
@Module({
  providers: [
    PrismaService,
    TransactionRunner,
    { provide: MYSQL_POOL, inject: [CloudConfig], useFactory: (config: CloudConfig) => createMysqlPool(config.databaseUrl, config.databasePoolSize) },
  ],
  exports: [PrismaService, TransactionRunner, MYSQL_POOL],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(MYSQL_POOL) private readonly pool: Pool) {}

  // Last of all, after queue workers and long-polls (closed in onModuleDestroy) have let go.
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
