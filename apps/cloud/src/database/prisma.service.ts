import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { parseMysqlUrl } from '@app/db-migrate';
import { CloudConfig } from '../config/cloud-config.js';
import { PrismaClient } from './generated/client.js';

/** How long a Prisma query waits for a pool connection. */
export const PRISMA_ACQUIRE_TIMEOUT_MS = 3_000;

/**
 * Prisma Client 7 on the MariaDB driver adapter (no native engine). Only repositories inject it.
 * Sessions run in UTC so that database-side defaults agree with the dates the client writes.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(config: CloudConfig) {
    const target = parseMysqlUrl(config.databaseUrl);
    super({
      adapter: new PrismaMariaDb({
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        database: target.database,
        connectionLimit: config.databasePoolSize,
        // A read that cannot get a connection within this fails (503 DATABASE_UNAVAILABLE) rather
        // than holding the request for the driver's default 10 s while the database is down.
        acquireTimeout: PRISMA_ACQUIRE_TIMEOUT_MS,
        timezone: 'Z',
        initSql: "SET time_zone = '+00:00'",
      }),
    });
  }

  // After workers and long-polls, which still read through Prisma while they wind down.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
