import { DEFAULT_MAX_LAMPORT_SKEW, LAMPORT_BOUND, LAMPORT_STEP_MAX, checkLamportBound, checkLamportSkew, lamportReceive, lamportTick } from './lamport.js';

describe('lamport', () => {
  describe('lamportTick', () => {
    it('should move past the local clock for a local event', () => {
      // given a device at 7, when it creates an event, then the event is stamped 8
      expect(lamportTick(7)).toBe(8);
    });
  });

  describe('lamportReceive', () => {
    it('should jump past a remote clock that is ahead', () => {
      // given a hub at 3, when it sees an event stamped 10, then its clock becomes 11
      expect(lamportReceive(3, 10)).toBe(11);
    });

    it('should still advance when the remote clock is behind', () => {
      expect(lamportReceive(10, 3)).toBe(11);
    });

    it('should keep causality across a chain of devices', () => {
      // given A creates e1, B receives it and creates e2, C receives e2 and creates e3
      const e1 = lamportTick(0);
      const e2 = lamportTick(lamportReceive(0, e1));
      const e3 = lamportTick(lamportReceive(1, e2));
      // then each later event carries a larger clock
      expect(e1).toBeLessThan(e2);
      expect(e2).toBeLessThan(e3);
    });
  });

  describe('checkLamportSkew', () => {
    it('should take an event from a device that made thousands of events offline', () => {
      // given a hub at 120,000 and a till that left at 119,990, then made 8,000 events offline
      const hub = 120_000;
      const till = 119_990 + 8_000;
      // when the till comes back and sends its last event, then it is taken
      expect(checkLamportSkew(hub, till, DEFAULT_MAX_LAMPORT_SKEW)).toEqual({ ok: true });
    });

    it("should take a clock behind or at the hub's, however far behind", () => {
      expect(checkLamportSkew(5_000_000, 0, 10)).toEqual({ ok: true });
      expect(checkLamportSkew(42, 42, 0)).toEqual({ ok: true });
    });

    it('should take an event exactly at the bound and refuse one past it', () => {
      // given a hub at 62 and a bound of 1,000,000
      expect(checkLamportSkew(62, 1_000_062, 1_000_000)).toEqual({ ok: true });
      // when an event is stamped one more, then it is refused with how far ahead it was
      expect(checkLamportSkew(62, 1_000_063, 1_000_000)).toEqual({ ok: false, ahead: 1_000_001, maxSkew: 1_000_000 });
    });

    it('should refuse a device that stamps wall-clock milliseconds as its Lamport time', () => {
      const check = checkLamportSkew(3_000, 1_767_225_600_000, DEFAULT_MAX_LAMPORT_SKEW);
      expect(check).toEqual({ ok: false, ahead: 1_767_225_597_000, maxSkew: DEFAULT_MAX_LAMPORT_SKEW });
    });

    it('should refuse a clock near 2^53 that would leave the hub no room to advance', () => {
      expect(checkLamportSkew(10, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_LAMPORT_SKEW)).toMatchObject({ ok: false });
    });
  });

  describe('checkLamportBound', () => {
    const max = LAMPORT_BOUND - LAMPORT_STEP_MAX;

    it("should take an event whose clock and the hub's leave room for its step", () => {
      expect(checkLamportBound(62, 70)).toEqual({ ok: true });
      // given the hub and the event at the last value that fits, the clock ends at the bound at most
      expect(checkLamportBound(max, max)).toEqual({ ok: true });
      expect(Math.max(max, max) + LAMPORT_STEP_MAX).toBe(LAMPORT_BOUND);
    });

    it('should blame the event whose own clock is past the last value that fits', () => {
      expect(checkLamportBound(62, Number.MAX_SAFE_INTEGER)).toEqual({ ok: false, culprit: 'event', max });
      expect(checkLamportBound(62, max + 1)).toEqual({ ok: false, culprit: 'event', max });
    });

    it("should blame the hub's clock once it is past it, whatever the event carries", () => {
      // given a hub that took a clock of 2^53 - 1 before the bound existed, then even lamport 10 is refused
      expect(checkLamportBound(Number.MAX_SAFE_INTEGER, 10)).toEqual({ ok: false, culprit: 'clock', max });
      expect(checkLamportBound(max + 1, 0)).toEqual({ ok: false, culprit: 'clock', max });
    });

    it("should keep the bound far below the schema's maximum", () => {
      // half the safe range: what lies above is headroom
      expect(LAMPORT_BOUND * 2).toBe(Number.MAX_SAFE_INTEGER + 1);
    });
  });
});
