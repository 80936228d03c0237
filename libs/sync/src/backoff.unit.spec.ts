import { backoffDelayMs } from './backoff.js';

const policy = { baseMs: 1_000, maxMs: 60_000 };

describe('backoffDelayMs', () => {
  it('should double the ceiling each attempt, between the previous ceiling and its own', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(500);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(1_000);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(2_000);
    expect(backoffDelayMs(3, policy, () => 1)).toBe(4_000);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(3_000);
  });

  it('should never give a shorter delay for a later attempt, whatever the jitter', () => {
    for (let attempt = 1; attempt < 12; attempt += 1) {
      expect(backoffDelayMs(attempt + 1, policy, () => 0)).toBeGreaterThanOrEqual(backoffDelayMs(attempt, policy, () => 1));
    }
  });

  it('should cap the delay', () => {
    expect(backoffDelayMs(40, policy, () => 1)).toBe(60_000);
    expect(backoffDelayMs(40, policy, () => 0)).toBe(60_000);
    expect(backoffDelayMs(7, policy, () => 0)).toBe(32_000);
  });

  it('should refuse attempt numbers below 1', () => {
    expect(() => backoffDelayMs(0, policy)).toThrow(RangeError);
  });
});
