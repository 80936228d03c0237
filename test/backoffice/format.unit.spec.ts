import { money, plural } from '../../apps/backoffice/src/common/format.js';

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

  describe('money', () => {
    // Intl puts a no-break space between a number and a currency after it.
    const nbsp = (text: string) => text.replace(/\u00a0/g, ' ');

    it.each([
      [123_450, 'GBP', 'en-GB', '£1,234.50'],
      [123_450, 'EUR', 'de-DE', '1.234,50 €'],
      [123_450, 'USD', 'en-US', '$1,234.50'],
      [5, 'GBP', 'en-GB', '£0.05'],
      // Hundredths of every currency, yen included: two decimals.
      [145_000, 'JPY', 'en-GB', 'JP¥1,450.00'],
    ])('should show %d hundredths of %s in %s as "%s"', (cents, currency, locale, expected) => {
      expect(nbsp(money(cents, currency, locale))).toBe(expected);
    });

    it('should show the number alone when the store has no currency', () => {
      expect(money(123_450, null, 'en-GB')).toBe('1,234.50');
      expect(money(123_450, undefined, 'de-DE')).toBe('1.234,50');
    });
  });
});
