import { RateLimiter } from './rate-limiter.js';

describe(RateLimiter.name, () => {
  describe('take', () => {
    it('should allow the burst, then say when the next token is due', () => {
      const limiter = new RateLimiter(10, 3);
      expect([limiter.take('a', 0), limiter.take('a', 0), limiter.take('a', 0)]).toEqual([0, 0, 0]);
      expect(limiter.take('a', 0)).toBe(100);
      expect(limiter.take('a', 50)).toBe(50);
    });

    it('should refill at the rate, never above the burst', () => {
      const limiter = new RateLimiter(10, 2);
      limiter.take('a', 0);
      limiter.take('a', 0);
      expect(limiter.take('a', 100)).toBe(0);
      expect(limiter.take('a', 10_000)).toBe(0);
      expect(limiter.take('a', 10_000)).toBe(0);
      expect(limiter.take('a', 10_000)).toBeGreaterThan(0);
    });

    it('should keep one bucket per device', () => {
      const limiter = new RateLimiter(1, 1);
      expect(limiter.take('a', 0)).toBe(0);
      expect(limiter.take('b', 0)).toBe(0);
      expect(limiter.take('a', 0)).toBeGreaterThan(0);
    });
  });
});
