import { AgentFatalError } from './agent-errors.js';
import { runLoop, type LoopRound } from './run-loop.js';

describe('runLoop', () => {
  it('should back off exponentially while rounds fail and reset after a success', async () => {
    const stop = new AbortController();
    const results: (LoopRound | Error)[] = [new Error('a'), new Error('b'), new Error('c'), 'busy', new Error('d')];
    const delays: number[] = [];
    await runLoop({
      name: 'test',
      signal: stop.signal,
      idleMs: 1,
      backoff: { baseMs: 4, maxMs: 16 },
      random: () => 1,
      round: async () => {
        const next = results.shift();
        if (next === undefined) {
          stop.abort();
          return 'idle';
        }
        if (next instanceof Error) throw next;
        return next;
      },
      onError: (_error, attempt, delayMs) => delays.push(attempt * 1000 + delayMs),
    });
    // attempt 1..3 ceilings 4, 8, 16; after the success the count starts again at 1.
    expect(delays).toEqual([1004, 2008, 3016, 1004]);
  });

  it('should stop at once on a fatal error, without retrying', async () => {
    let rounds = 0;
    const fatal = new AgentFatalError('revoked', 3);
    await expect(
      runLoop({
        name: 'test',
        signal: new AbortController().signal,
        idleMs: 1,
        backoff: { baseMs: 1, maxMs: 1 },
        round: async () => {
          rounds += 1;
          throw fatal;
        },
        onError: () => undefined,
      }),
    ).rejects.toBe(fatal);
    expect(rounds).toBe(1);
  });

  it('should cut an idle pause short when stopped', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const loop = runLoop({
      name: 'test',
      signal: stop.signal,
      idleMs: 60_000,
      backoff: { baseMs: 1, maxMs: 1 },
      round: async () => 'idle',
      onError: () => undefined,
    });
    setTimeout(() => stop.abort(), 20);
    await loop;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
