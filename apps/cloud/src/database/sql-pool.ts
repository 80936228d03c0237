import type { FieldPacket, Pool, PoolConnection, QueryResult, QueryValues, ExecuteValues } from 'mysql2/promise';

/** What a caller is told when no connection came free within the bound (outage-errors maps it to 503). */
export class PoolAcquireTimeoutError extends Error {
  readonly code = 'POOL_ACQUIRE_TIMEOUT';

  constructor(readonly timeoutMs: number) {
    super(`no database connection came free within ${timeoutMs} ms`);
    this.name = 'PoolAcquireTimeoutError';
  }
}

export interface SqlPoolOptions {
  /** How long a statement waits for a free connection before it fails (503) instead of queueing on. */
  acquireTimeoutMs: number;
  /** How long one pool statement may run; 0: no bound. The connection is dropped when it expires. */
  queryTimeoutMs: number;
}

export interface SqlPoolStats {
  all: number;
  free: number;
  queued: number;
}

interface PoolInternals {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

/**
 * A statement error the server answered leaves the connection in a known state; anything else (the
 * driver threw while writing the packet, a timeout, a lost socket) may not, so that connection is
 * dropped rather than handed to the next caller.
 */
export function serverAnswered(error: unknown): boolean {
  return typeof (error as { errno?: unknown })?.errno === 'number' && typeof (error as { sqlState?: unknown }).sqlState === 'string';
}

/**
 * The write path's mysql2 pool, the only way repositories reach it. Every statement runs on a
 * connection taken with a bounded wait and given back in `finally`, whatever the statement does:
 * mysql2's own `pool.execute` loses the connection when the driver throws while serialising a
 * value on a cached prepared statement (a date before year 0 did), and ten such requests used to
 * exhaust the pool for every tenant.
 */
export class SqlPool {
  constructor(
    private readonly pool: Pool,
    private readonly options: SqlPoolOptions,
  ) {}

  /** A connection within `acquireTimeoutMs`; one that arrives after the caller gave up is released. */
  async getConnection(): Promise<PoolConnection> {
    let timer: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const acquiring = this.pool.getConnection();
    try {
      return await Promise.race([
        acquiring,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            gaveUp = true;
            reject(new PoolAcquireTimeoutError(this.options.acquireTimeoutMs));
          }, this.options.acquireTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (gaveUp) acquiring.then((late) => late.release()).catch(() => undefined);
    }
  }

  /** Runs `work` on one connection and always gives it back (dropped if the driver failed on it). */
  async withConnection<T>(work: (connection: PoolConnection) => Promise<T>): Promise<T> {
    const connection = await this.getConnection();
    let failed: unknown = null;
    try {
      return await work(connection);
    } catch (error) {
      failed = error;
      throw error;
    } finally {
      if (failed !== null && !serverAnswered(failed)) connection.destroy();
      else connection.release();
    }
  }

  query<T extends QueryResult>(sql: string, values?: QueryValues): Promise<[T, FieldPacket[]]> {
    return this.withConnection((c) => c.query<T>(this.statement(sql), values));
  }

  /** A prepared statement (binary protocol), bounded like `query`. */
  execute<T extends QueryResult>(sql: string, values?: ExecuteValues): Promise<[T, FieldPacket[]]> {
    return this.withConnection((c) => this.bounded(c.execute<T>(this.statement(sql), values)));
  }

  stats(): SqlPoolStats {
    const internals = this.pool.pool as unknown as PoolInternals;
    return { all: internals._allConnections.length, free: internals._freeConnections.length, queued: internals._connectionQueue.length };
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  private statement(sql: string): { sql: string; timeout?: number } {
    return this.options.queryTimeoutMs > 0 ? { sql, timeout: this.options.queryTimeoutMs } : { sql };
  }

  /** mysql2 honours `timeout` on text queries only; prepared ones get the same bound here (the caller then drops the connection). */
  private async bounded<T>(running: Promise<T>): Promise<T> {
    if (this.options.queryTimeoutMs <= 0) return running;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        running,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = Object.assign(new Error(`the statement did not finish within ${this.options.queryTimeoutMs} ms`), {
              code: 'PROTOCOL_SEQUENCE_TIMEOUT',
            });
            reject(error);
          }, this.options.queryTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      // When the bound won, the statement's own outcome no longer matters (its connection is dropped).
      running.catch(() => undefined);
    }
  }
}
