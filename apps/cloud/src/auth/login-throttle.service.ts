import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { sha256Hex } from '@app/crypto';
import { AppException } from '@app/nest-kit';
import { CloudConfig, type LoginThrottlePolicy } from '../config/cloud-config.js';
import { RedisAvailability } from '../redis/redis.module.js';
import { LoginAttemptsRepository, type BackoffTiming, type FailureCounter } from './login-attempts.repository.js';
import type { TrustedBrowser } from './trusted-browser-cookie.js';

export class TooManyLoginAttemptsException extends AppException {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `too many login attempts: try again in ${retryAfterSeconds} s`, 429, { retryAfterSeconds });
  }
}

/** Who is trying to log in, as far as throttling cares. */
export interface LoginClient {
  /** As typed, trimmed and lower-cased; an unknown email is counted exactly like a known one. */
  email: string;
  /** loginSourceOf(the client address). */
  source: string;
  /** A valid trusted-browser cookie for this email, if the client sent one. */
  trustedBrowser: TrustedBrowser | null;
}

/** An attempt let through: what its outcome must be reported on. */
export interface LoginAdmission {
  id: string;
  counters: FailureCounter[];
  resetOnSuccess: FailureCounter[];
}

/** An attempt may stay undecided this long (a scrypt check takes ~100 ms) before its place frees. */
const PENDING_MS = 30_000;
/** A Redis that does not answer must not hold logins up (a healthy one answers in a millisecond). */
const REDIS_TIMEOUT_MS = 1_000;
/** After a call failed, throttling stays off this long without asking Redis again. */
const SKIP_AFTER_FAILURE_MS = 5_000;

/**
 * Throttles failed logins only (OWASP Authentication and Credential Stuffing cheat sheets): a
 * success costs nothing and resets the email's counters, so an owner who logs in 50 times is never
 * slowed down. Counters, each with its own free failures and then a doubling lock:
 *
 * - per email and source (LOGIN_MAX_FAILURES_PER_EMAIL_AND_SOURCE): guessing from one place
 *   slows that place only; the owner elsewhere is not locked out;
 * - per email over all untrusted clients (LOGIN_MAX_FAILURES_PER_EMAIL): guesses spread over many
 *   sources lock the account for clients without a trusted-browser cookie;
 * - per source over all emails (LOGIN_MAX_FAILURES_PER_IP): spraying many accounts from one place;
 * - a browser with a trusted-browser cookie for the email has its own counter instead of these, so
 *   no stranger's failures lock the owner's browser out.
 *
 * A locked counter answers 429 before the password is even checked: a right password slipped in
 * during a lock gets no token, and the answer is the same for unknown emails and known ones. When
 * Redis fails, logins are let through unthrottled (and a warning says so) rather than refused.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);
  private readonly policy: LoginThrottlePolicy;
  private readonly timing: BackoffTiming;
  private lastWarning = 0;
  private skipUntil = 0;

  constructor(
    config: CloudConfig,
    private readonly attempts: LoginAttemptsRepository,
    private readonly redis: RedisAvailability,
  ) {
    this.policy = config.loginThrottle;
    this.timing = {
      baseMs: this.policy.backoffBaseMs,
      maxMs: this.policy.backoffMaxMs,
      idleMs: this.policy.failureWindowSeconds * 1000,
      pendingMs: PENDING_MS,
    };
  }

  /** Lets the attempt go ahead or throws TooManyLoginAttemptsException; null when Redis failed. */
  async admit(client: LoginClient): Promise<LoginAdmission | null> {
    const email = this.counter('email', client.email, this.policy.maxFailuresPerEmail);
    // On success the email's counters start over; the source's counter does not (an attacker
    // logging into an account of their own must not wipe what their guesses at others cost).
    let admission: LoginAdmission;
    if (client.trustedBrowser) {
      const browser = this.counter('browser', `${client.email}\n${client.trustedBrowser.nonce}`, this.policy.maxFailuresPerEmailAndSource);
      admission = { id: randomUUID(), counters: [browser], resetOnSuccess: [browser, email] };
    } else {
      const emailAndSource = this.counter('email-source', `${client.email}\n${client.source}`, this.policy.maxFailuresPerEmailAndSource);
      const source = this.counter('source', client.source, this.policy.maxFailuresPerIp);
      admission = { id: randomUUID(), counters: [emailAndSource, email, source], resetOnSuccess: [emailAndSource, email] };
    }
    const waitMs = await this.guard(() => this.attempts.admit(admission.id, admission.counters, this.timing));
    if (waitMs === null) return null;
    if (waitMs > 0) throw new TooManyLoginAttemptsException(Math.max(1, Math.ceil(waitMs / 1000)));
    return admission;
  }

  /** Wrong password or unknown email. */
  async fail(admission: LoginAdmission | null): Promise<void> {
    if (admission) await this.guard(() => this.attempts.fail(admission.id, admission.counters, this.timing));
  }

  async succeed(admission: LoginAdmission | null): Promise<void> {
    if (!admission) return;
    const reset = new Set(admission.resetOnSuccess.map((c) => c.key));
    await this.guard(() =>
      this.attempts.succeed(
        admission.id,
        admission.resetOnSuccess,
        admission.counters.filter((c) => !reset.has(c.key)),
      ),
    );
  }

  /** The attempt ended without a verdict on the password (a malformed body, a disabled operator). */
  async release(admission: LoginAdmission | null): Promise<void> {
    if (admission) await this.guard(() => this.attempts.release(admission.id, admission.counters));
  }

  private counter(kind: string, value: string, free: number): FailureCounter {
    return { key: `${kind}:${sha256Hex(value)}`, free };
  }

  /**
   * Runs a Redis call, or skips it (null) at once while Redis is known to be down or failed a
   * moment ago: a login during an outage costs no Redis wait at all, rather than a timeout per call.
   */
  private async guard<T>(call: () => Promise<T>): Promise<T | null> {
    if (this.redis.down || Date.now() < this.skipUntil) {
      this.warn(this.redis.down ? `Redis is not connected (${this.redis.status})` : 'Redis failed a moment ago');
      return null;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.skipUntil = Date.now() + SKIP_AFTER_FAILURE_MS;
      this.warn((error as Error).message);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private warn(reason: string): void {
    if (Date.now() - this.lastWarning < 30_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`login throttling is off while Redis fails: ${reason}`);
  }
}
