import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { SqlPool } from '../database/sql-pool.js';
import { PrismaService } from '../database/prisma.service.js';
import { REDIS, RedisAvailability } from '../redis/redis.module.js';

@Injectable()
export class HealthRepository {
  /** The write-pool probe in flight: probes join it rather than queue one more waiter on a stuck pool. */
  private writeProbe: Promise<void> | null = null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly pool: SqlPool,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly availability: RedisAvailability,
  ) {}

  /**
   * A connection from the pool the write path uses, and a statement on it: what ingest, delivery
   * and acks need. The caller bounds the wait; a probe that is still waiting for a connection
   * releases it whenever it comes.
   */
  pingWritePool(): Promise<void> {
    this.writeProbe ??= (async () => {
      await this.pool.withConnection((connection) => connection.query('SELECT 1'));
    })().finally(() => (this.writeProbe = null));
    return this.writeProbe;
  }

  async pingReads(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  async pingRedis(): Promise<void> {
    this.availability.assertUp();
    const answer = await this.redis.ping();
    if (answer !== 'PONG') throw new Error(`unexpected answer ${answer}`);
  }
}
