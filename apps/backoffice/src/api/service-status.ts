import type { ApiError } from './api-error.js';

/** What the last answer that failed for want of the service said. */
export interface Unavailable {
  code: string;
  message: string;
  /** When the outage was first seen (ms since the epoch). */
  since: number;
  /** When to ask again: the cloud's Retry-After, within bounds. */
  retryAfterMs: number;
}

const DEFAULT_RETRY_MS = 5_000;
const MIN_RETRY_MS = 2_000;
const MAX_RETRY_MS = 30_000;

/**
 * Answers that mean "the service cannot serve right now", not "you may not": the cloud's 503
 * (DATABASE_UNAVAILABLE, REDIS_UNAVAILABLE), a proxy's 502/504 in front of a cloud that is
 * restarting, or no answer at all. None of them ends the session.
 */
export function isUnavailable(error: ApiError): boolean {
  return error.statusCode === 0 || error.statusCode === 502 || error.statusCode === 503 || error.statusCode === 504;
}

function retryAfterMsOf(error: ApiError): number {
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return DEFAULT_RETRY_MS;
  return Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, seconds * 1000));
}

/**
 * Whether the cloud is serving, as the API client last saw it: every call reports its outcome,
 * and the banner (ServiceBanner) and the page loads (useLoad) follow it. A store of its own, not
 * React state, so that the client can report from outside components.
 */
export class ServiceStatus {
  private current: Unavailable | null = null;
  private recoveries = 0;
  private readonly listeners = new Set<() => void>();

  get unavailable(): Unavailable | null {
    return this.current;
  }

  /** How many times the service came back: pages that failed meanwhile load again when it grows. */
  get recoveryCount(): number {
    return this.recoveries;
  }

  reportUnavailable(error: ApiError): void {
    this.current = { code: error.code, message: error.message, since: this.current?.since ?? Date.now(), retryAfterMs: retryAfterMsOf(error) };
    this.notify();
  }

  /** The cloud answered (any answer but an unavailable one: a 404 is the service working). */
  reportAnswered(): void {
    if (!this.current) return;
    this.current = null;
    this.recoveries += 1;
    this.notify();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
