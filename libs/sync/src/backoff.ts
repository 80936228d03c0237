export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

function ceilingMs(attempt: number, policy: BackoffPolicy): number {
  if (attempt < 1) return Math.min(policy.maxMs, policy.baseMs / 2);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
}

/**
 * Exponential backoff with jitter: retry n waits a random time between the ceiling of retry n-1
 * and its own ceiling, base * 2^(n-1), capped at maxMs. Delays therefore never shrink from one
 * attempt to the next, and the jitter of the early attempts spreads a fleet that failed together,
 * so it does not retry in step even once every member sits at the cap.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be an integer >= 1');
  const floor = ceilingMs(attempt - 1, policy);
  const ceiling = ceilingMs(attempt, policy);
  return Math.round(floor + random() * (ceiling - floor));
}
