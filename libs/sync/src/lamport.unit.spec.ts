import { lamportReceive, lamportTick } from './lamport.js';

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
});
