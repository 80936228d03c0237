import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { CloudConfig } from '../config/cloud-config.js';

/** Injection token of the shared Redis connection (commands, not blocking reads). */
export const REDIS = Symbol('REDIS');

const logger = new Logger('Redis');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [CloudConfig],
      useFactory: (config: CloudConfig) => {
        const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
        // Without a listener ioredis reports every failed reconnect as an unhandled error event.
        let lastReported = 0;
        redis.on('error', (error: Error) => {
          if (Date.now() - lastReported < 30_000) return;
          lastReported = Date.now();
          logger.warn(`redis: ${error.message}`);
        });
        return redis;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
