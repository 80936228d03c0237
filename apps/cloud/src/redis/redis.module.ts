import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { CloudConfig } from '../config/cloud-config.js';
import { REDIS_COMMAND_TIMEOUT_MS, RedisUnavailableError, redisIsDown } from './redis-availability.js';

/** Injection token of the shared Redis connection (commands, not blocking reads). */
export const REDIS = Symbol('REDIS');

const logger = new Logger('Redis');

/**
 * Whether Redis can be called now. Callers that can do without Redis (login throttling, wake-ups,
 * timers a sweep re-arms) check it and skip at once during an outage instead of queueing behind
 * reconnect attempts; `assertUp` throws RedisUnavailableError (answered 503) for those that cannot.
 */
@Injectable()
export class RedisAvailability {
  private everReady: boolean;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    this.everReady = redis.status === 'ready';
    redis.on('ready', () => (this.everReady = true));
  }

  get down(): boolean {
    return redisIsDown(this.redis, this.everReady);
  }

  get status(): string {
    return this.redis.status;
  }

  assertUp(): void {
    if (this.down) throw new RedisUnavailableError(this.redis.status);
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [CloudConfig],
      useFactory: (config: CloudConfig) => {
        // One retry after a reconnect, and a deadline on every command, queued or sent: during an
        // outage a call fails within REDIS_COMMAND_TIMEOUT_MS rather than after a series of
        // reconnect attempts (seconds each once ioredis has backed off).
        const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
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
    RedisAvailability,
  ],
  exports: [REDIS, RedisAvailability],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
