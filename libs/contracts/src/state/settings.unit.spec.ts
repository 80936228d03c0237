import { currencyCodeOf } from './settings.js';

describe('currencyCodeOf', () => {
  it.each([
    ['GBP', 'GBP'],
    ['eur', 'EUR'],
    [' JPY ', 'JPY'],
  ])('should read %j as the currency %s', (value, code) => {
    expect(currencyCodeOf(value)).toBe(code);
  });

  it.each([[undefined], [null], [''], [826], [true], ['pounds'], ['£'], ['XYZ'], ['GB'], [['GBP']], [{ code: 'GBP' }]])(
    'should read %j as no currency',
    (value) => {
      expect(currencyCodeOf(value)).toBeNull();
    },
  );
});
