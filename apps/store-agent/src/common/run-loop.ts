import { backoffDelayMs, type BackoffPolicy } from '@app/sync';
import { AgentFatalError } from './agent-errors.js';

/** What one round of a loop reports: more work is waiting, or it may rest for its idle time. */
export type LoopRound = 'busy' | 'idle';

export interface LoopOptions {
  name: string;
  /** Ends the loop (between rounds, and cuts a pause short). */
  signal: AbortSignal;
  round: () => Promise<LoopRound>;
  idleMs: number;
  backoff: BackoffPolicy;
  /** Told of every failed round and the pause before the next one. */
  onError: (error: unknown, attempt: number, delayMs: number) => void;
  random?: () => number;
}

/** Sleeps `ms`, or less when `signal` aborts first; never rejects. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `round` until the signal aborts: at once again when it was busy, after `idleMs` when idle,
 * after an exponential backoff with full jitter when it failed (the attempt count resets on the
 * first success). An AgentFatalError ends the loop by rejecting: no retry cures it.
 */
export async function runLoop(options: LoopOptions): Promise<void> {
  let failures = 0;
  while (!options.signal.aborted) {
    let result: LoopRound;
    try {
      result = await options.round();
      failures = 0;
    } catch (error) {
      if (error instanceof AgentFatalError) throw error;
      if (options.signal.aborted) return;
      failures += 1;
      const delay = backoffDelayMs(failures, options.backoff, options.random);
      options.onError(error, failures, delay);
      await pause(delay, options.signal);
      continue;
    }
    if (result === 'idle') await pause(options.idleMs, options.signal);
  }
}
