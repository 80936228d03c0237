import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CloudConfig } from '../config/cloud-config.js';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { CloudMetrics } from '../metrics/cloud-metrics.js';
import { REDIS, RedisAvailability } from '../redis/redis.module.js';

export type WakeOutcome = 'woken' | 'timeout' | 'aborted';

/** One held long-poll of one store. */
export interface Waiter {
  /** Resolves when the store is woken, `timeoutMs` passes, or `signal` aborts, whichever is first. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<WakeOutcome>;
  dispose(): void;
}

interface LocalWaiter {
  woken: boolean;
  notify?: () => void;
}

/** How long a store's subscription outlives its last waiter: an agent polls again at once. */
const UNSUBSCRIBE_AFTER_MS = 10_000;
/** A poll does not wait longer than this for its subscription (Redis down): it falls back to local wake-ups. */
const SUBSCRIBE_TIMEOUT_MS = 1_000;

/**
 * Wakes the long-polls of a store on every replica, through Redis pub/sub on one channel per store
 * (`<REDIS_PREFIX>:wake:<storeId>`). A waiter registers (and its replica subscribes) before the
 * poll looks for commands, so a command committed after that look always wakes it. No timer loop:
 * a poll that is not woken simply ends at its `wait`.
 */
@Injectable()
export class CommandWakeupService implements OnModuleDestroy {
  private readonly logger = new Logger(CommandWakeupService.name);
  private readonly waiters = new Map<string, Set<LocalWaiter>>();
  private readonly subscribed = new Map<string, Promise<void>>();
  private readonly unsubscribeTimers = new Map<string, NodeJS.Timeout>();
  private subscriber: Redis | undefined;
  private closed = false;

  constructor(
    private readonly config: CloudConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly metrics: CloudMetrics,
    private readonly availability: RedisAvailability,
    shutdown: ShutdownState,
  ) {
    // Held polls end the moment shutdown begins, not when this module's turn to close comes.
    shutdown.signal.addEventListener('abort', () => this.releaseAll(), { once: true });
  }

  private channel(storeId: string): string {
    return `${this.config.redisPrefix}:wake:${storeId}`;
  }

  /** Wakes the store's polls here at once and on the other replicas through Redis. */
  async wake(storeId: string): Promise<void> {
    this.notifyLocal(storeId);
    // While Redis is down the other replicas' polls learn at their timeout; no use queueing.
    this.availability.assertUp();
    await this.redis.publish(this.channel(storeId), '1');
  }

  /** Wakes many stores' polls (a fleet publish): one Redis round trip for all of them. */
  async wakeMany(storeIds: readonly string[]): Promise<void> {
    if (storeIds.length === 1) return this.wake(storeIds[0]!);
    for (const storeId of storeIds) this.notifyLocal(storeId);
    this.availability.assertUp();
    const pipeline = this.redis.pipeline();
    for (const storeId of storeIds) pipeline.publish(this.channel(storeId), '1');
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0]!;
  }

  /**
   * Registers a waiter for the store. Resolves once this replica is subscribed to the store's
   * channel; if Redis is unreachable the waiter still hears wake-ups from this replica, and the
   * poll's own timeout bounds how late it learns about the others'.
   */
  async register(storeId: string): Promise<Waiter> {
    const entry: LocalWaiter = { woken: false };
    let set = this.waiters.get(storeId);
    if (!set) this.waiters.set(storeId, (set = new Set()));
    set.add(entry);
    this.metrics.longPollWaiters.inc();
    const pendingUnsubscribe = this.unsubscribeTimers.get(storeId);
    if (pendingUnsubscribe) {
      clearTimeout(pendingUnsubscribe);
      this.unsubscribeTimers.delete(storeId);
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      this.availability.assertUp();
      await Promise.race([
        this.subscribe(storeId),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from Redis within ${SUBSCRIBE_TIMEOUT_MS} ms`)), SUBSCRIBE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.logger.warn(`cannot subscribe to wake-ups of store ${storeId}: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    let disposed = false;
    return {
      wait: (timeoutMs, signal) =>
        new Promise<WakeOutcome>((resolve) => {
          if (entry.woken) return resolve('woken');
          if (this.closed || signal?.aborted) return resolve('aborted');
          const finish = (outcome: WakeOutcome) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            entry.notify = undefined;
            resolve(outcome);
          };
          const onAbort = () => finish('aborted');
          const timer = setTimeout(() => finish('timeout'), Math.max(0, timeoutMs));
          signal?.addEventListener('abort', onAbort, { once: true });
          entry.notify = () => finish(this.closed ? 'aborted' : 'woken');
        }),
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.metrics.longPollWaiters.dec();
        set.delete(entry);
        if (set.size === 0 && this.waiters.get(storeId) === set) {
          this.waiters.delete(storeId);
          this.scheduleUnsubscribe(storeId);
        }
      },
    };
  }

  /** Releases every held poll (shutdown): they answer with what they have, nothing. */
  onModuleDestroy(): void {
    this.releaseAll();
    for (const timer of this.unsubscribeTimers.values()) clearTimeout(timer);
    this.unsubscribeTimers.clear();
    this.subscriber?.disconnect();
  }

  private releaseAll(): void {
    this.closed = true;
    for (const storeId of this.waiters.keys()) this.notifyLocal(storeId);
  }

  private notifyLocal(storeId: string): void {
    for (const entry of this.waiters.get(storeId) ?? []) {
      entry.woken = true;
      entry.notify?.();
    }
  }

  private connection(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate();
      this.subscriber.on('error', () => undefined); // the shared connection already reports outages
      this.subscriber.on('message', (channel: string) => {
        const prefix = `${this.config.redisPrefix}:wake:`;
        if (channel.startsWith(prefix)) this.notifyLocal(channel.slice(prefix.length));
      });
    }
    return this.subscriber;
  }

  private subscribe(storeId: string): Promise<void> {
    let pending = this.subscribed.get(storeId);
    if (!pending) {
      pending = this.connection()
        .subscribe(this.channel(storeId))
        .then(() => undefined);
      pending.catch(() => this.subscribed.delete(storeId));
      this.subscribed.set(storeId, pending);
    }
    return pending;
  }

  private scheduleUnsubscribe(storeId: string): void {
    if (this.closed || this.unsubscribeTimers.has(storeId)) return;
    const timer = setTimeout(() => {
      this.unsubscribeTimers.delete(storeId);
      if (this.waiters.has(storeId) || !this.subscribed.has(storeId)) return;
      this.subscribed.delete(storeId);
      this.subscriber?.unsubscribe(this.channel(storeId)).catch(() => undefined);
    }, UNSUBSCRIBE_AFTER_MS);
    timer.unref();
    this.unsubscribeTimers.set(storeId, timer);
  }
}
