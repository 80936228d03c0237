import { Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'mysql2/promise';
import { CloudConfig } from '../config/cloud-config.js';
import { MYSQL_POOL, createMysqlPool } from './mysql-pool.js';
import { PrismaService } from './prisma.service.js';

@Global()
@Module({
  providers: [
    PrismaService,
    { provide: MYSQL_POOL, inject: [CloudConfig], useFactory: (config: CloudConfig) => createMysqlPool(config.databaseUrl, config.databasePoolSize) },
  ],
  exports: [PrismaService, MYSQL_POOL],
})
export class DatabaseModule implements OnModuleDestroy {
  constructor(@Inject(MYSQL_POOL) private readonly pool: Pool) {}

  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
