import { Injectable, Logger } from '@nestjs/common';
import type { PoolConnection } from 'mysql2/promise';
import { serverAnswered, SqlPool } from './sql-pool.js';

declare const txBrand: unique symbol;

/**
 * An open transaction. Services pass it from one repository call to the next; only repositories
 * reach its connection. Side effects outside MySQL (Redis wake-ups, BullMQ timers) are registered
 * with `afterCommit`, so they happen only once the data they announce is durable, and never for an
 * attempt that was rolled back and retried.
 */
export interface Tx {
  readonly connection: PoolConnection;
  afterCommit(effect: () => Promise<unknown> | unknown): void;
  readonly [txBrand]: true;
}

const DEADLOCK = 1213;
const MAX_ATTEMPTS = 4;

function isDeadlock(error: unknown): boolean {
  return (error as { errno?: unknown })?.errno === DEADLOCK;
}

/** Runs explicit transactions on the mysql2 pool (the write path of the sync core). */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(private readonly pool: SqlPool) {}

  /**
   * Runs `work` in one transaction and commits it. InnoDB may pick this transaction as a deadlock
   * victim when concurrent ones lock rows in another order; it is then retried from the start, so
   * `work` must only touch the database and register other effects with `afterCommit`.
   */
  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const connection = await this.pool.getConnection();
      const effects: (() => Promise<unknown> | unknown)[] = [];
      const tx = { connection, afterCommit: (effect: () => Promise<unknown> | unknown) => void effects.push(effect) } as unknown as Tx;
      let result: T;
      try {
        await connection.beginTransaction();
        result = await work(tx);
        await connection.commit();
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        // A statement the server refused leaves the connection sound; a driver failure may not.
        if (serverAnswered(error)) connection.release();
        else connection.destroy();
        if (isDeadlock(error) && attempt < MAX_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * attempt)));
          continue;
        }
        throw error;
      }
      connection.release();
      for (const effect of effects) {
        try {
          await effect();
        } catch (error) {
          // The data is committed; effects are announcements that a sweep or a poll timeout repairs.
          this.logger.warn(`after-commit effect failed: ${(error as Error).message}`);
        }
      }
      return result;
    }
  }
}
