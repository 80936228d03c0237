import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { sha256Hex } from '@app/crypto';
import { AppException } from '@app/nest-kit';
import { CloudConfig } from '../config/cloud-config.js';
import { REDIS } from '../redis/redis.module.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

export class TooManyLoginAttemptsException extends AppException {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', `too many login attempts: try again in ${retryAfterSeconds} s`, 429, { retryAfterSeconds });
  }
}

/**
 * Throttles logins per client IP (LOGIN_MAX_ATTEMPTS_PER_IP a minute) and per email
 * (LOGIN_MAX_ATTEMPTS_PER_EMAIL per 15 minutes), counted in Redis across replicas. While Redis is
 * unreachable logins are not throttled (and a warning says so) rather than impossible.
 */
@Injectable()
export class LoginThrottleGuard implements CanActivate {
  private readonly logger = new Logger(LoginThrottleGuard.name);
  private readonly limiter: RedisRateLimiter;

  constructor(
    private readonly config: CloudConfig,
    @Inject(REDIS) redis: Redis,
  ) {
    this.limiter = new RedisRateLimiter(redis, config.redisPrefix);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const email = (req.body as { email?: unknown } | undefined)?.email;
    const rules = [
      { name: 'login-ip', key: req.ip ?? 'unknown', limit: this.config.loginThrottle.perIpPerMinute, windowMs: 60_000 },
      { name: 'login-email', key: typeof email === 'string' ? email.trim().toLowerCase() : '(none)', limit: this.config.loginThrottle.perEmailPer15Minutes, windowMs: 15 * 60_000 },
    ];
    for (const rule of rules) {
      let outcome;
      try {
        outcome = await this.limiter.hit(rule.name, sha256Hex(rule.key), rule.limit, rule.windowMs);
      } catch (error) {
        this.logger.warn(`login throttling is off while Redis fails: ${(error as Error).message}`);
        return true;
      }
      if (!outcome.allowed) {
        res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
        throw new TooManyLoginAttemptsException(outcome.retryAfterSeconds);
      }
    }
    return true;
  }
}
