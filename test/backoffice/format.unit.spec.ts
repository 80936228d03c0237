import { plural } from '../../apps/backoffice/src/common/format.js';

describe('the backoffice formats', () => {
  describe('plural', () => {
    it.each([
      [0, 'store', '0 stores'],
      [1, 'store', '1 store'],
      [2, 'store', '2 stores'],
      [1, 'dead-lettered command', '1 dead-lettered command'],
      [21, 'order', '21 orders'],
    ])('should say %d %s as "%s"', (n, noun, expected) => {
      expect(plural(n, noun)).toBe(expected);
    });

    it('should take an irregular plural', () => {
      expect(plural(1, 'entry', 'entries')).toBe('1 entry');
      expect(plural(3, 'entry', 'entries')).toBe('3 entries');
    });

    it('should group a large count', () => {
      expect(plural(12_345, 'event')).toBe(`${(12_345).toLocaleString()} events`);
    });
  });
});
