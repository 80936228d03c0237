import { DependencyUnavailableException, type Dependency } from './dependency-unavailable.exception.js';

/*
 * Errors that say a dependency is unreachable, not that the request was wrong. Each driver reports
 * them its own way; this is the one place that knows them (the global filter and the passport
 * strategies ask it), so an outage answers 503 with a code on every route, never 401 or 500.
 */

/** mysql2's own codes for a connection that failed or closed, and the server's "go away" errors. */
const MYSQL_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'POOL_ACQUIRE_TIMEOUT', // SqlPool: no connection came free within DATABASE_ACQUIRE_TIMEOUT_MS
  'ER_CON_COUNT_ERROR', // 1040 too many connections
  'ER_TOO_MANY_USER_CONNECTIONS', // 1203
  'ER_SERVER_SHUTDOWN', // 1053
  'ER_LOCK_WAIT_TIMEOUT', // 1205: a stalled lock holder; the same request may pass in a moment
  'ER_QUERY_INTERRUPTED', // 1317: the server is killing queries (shutdown)
  'ER_CONNECTION_KILLED', // 1927
]);

/** mysql2 messages without a code: the pool was closed (the cloud is shutting down). */
const MYSQL_MESSAGES = ['Pool is closed.', "Can't add new command when connection is in closed state"];

/**
 * The MariaDB connector's errno values under Prisma (reported in meta.driverAdapterError.cause.code
 * with kind 'mysql'): connection closed, socket errors and timeouts, pool timeouts and closing pools.
 */
const MARIADB_ERRNOS = new Set([
  45001, 45004, 45009, 45012, 45013, 45019, 45026, 45027, 45028, 45035, 45037, 45039, 45042, 1040, 1053, 1203, 1205, 1927, 2002, 2003, 2006, 2013,
]);

/** Prisma's own codes for an unreachable database or a pool that timed out. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const PRISMA_ADAPTER_KINDS = new Set(['TooManyConnections', 'DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TransactionAlreadyClosed']);

/** ioredis' messages when a command could not be sent or answered. */
const REDIS_MESSAGES = ['Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false", 'Command timed out'];
/** Redis server replies that mean "not now", not "wrong command". */
const REDIS_REPLY_PREFIXES = ['LOADING', 'BUSY', 'MASTERDOWN', 'TRYAGAIN', 'CLUSTERDOWN'];

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } };
  cause?: unknown;
}

function isPrismaError(e: ErrorLike): boolean {
  return typeof e.name === 'string' && e.name.startsWith('PrismaClient');
}

function databaseOutage(e: ErrorLike): boolean {
  if (isPrismaError(e)) {
    if (e.name === 'PrismaClientInitializationError') return true;
    if (typeof e.code === 'string' && PRISMA_CODES.has(e.code)) return true;
    const cause = e.meta?.driverAdapterError?.cause;
    if (cause && typeof cause.kind === 'string' && PRISMA_ADAPTER_KINDS.has(cause.kind)) return true;
    return cause?.kind === 'mysql' && typeof cause.code === 'number' && MARIADB_ERRNOS.has(cause.code);
  }
  // mysql2 flags every connection-level failure fatal (ECONNREFUSED, ETIMEDOUT, a lost connection:
  // the connection is unusable afterwards); a statement error is never fatal.
  if (e.fatal === true && (typeof e.code === 'string' || typeof e.errno === 'number')) return true;
  if (typeof e.code === 'string' && MYSQL_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && MYSQL_MESSAGES.includes(e.message);
}

function redisOutage(e: ErrorLike): boolean {
  if (e.name === 'RedisUnavailableError' || e.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e.message !== 'string') return false;
  if (REDIS_MESSAGES.includes(e.message)) return true;
  return e.name === 'ReplyError' && REDIS_REPLY_PREFIXES.some((p) => (e.message as string).startsWith(p));
}

/** Which dependency an error says is unreachable, or null for any other error. */
export function outageOf(error: unknown): Dependency | null {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as ErrorLike).cause, depth += 1) {
    const like = e as ErrorLike;
    if (redisOutage(like)) return 'redis';
    if (databaseOutage(like)) return 'database';
  }
  return null;
}

/** The 503 to answer for an error that says a dependency is unreachable, or null. */
export function outageException(error: unknown): DependencyUnavailableException | null {
  if (error instanceof DependencyUnavailableException) return error;
  const dependency = outageOf(error);
  return dependency ? new DependencyUnavailableException(dependency) : null;
}
