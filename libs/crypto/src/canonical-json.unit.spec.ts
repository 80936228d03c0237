import { CanonicalJsonError, canonicalize } from './canonical-json.js';

function float64(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('canonicalize', () => {
  describe('RFC 8785 section 3.2.2 example', () => {
    it('should sort keys, shorten numbers and escape strings as the RFC prints', () => {
      const input = {
        // The RFC's own input literal: its excess digits are the point of the vector.
        // eslint-disable-next-line no-loss-of-precision
        numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
        string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
        literals: [null, true, false],
      };
      expect(canonicalize(input)).toBe(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
    });
  });

  describe('RFC 8785 section 3.2.3 property sorting', () => {
    it('should order keys by UTF-16 code units, surrogate pairs included', () => {
      const input = {
        '\u20ac': 'Euro Sign',
        '\r': 'Carriage Return',
        '\ufb33': 'Hebrew Letter Dalet With Dagesh',
        '1': 'One',
        '\ud83d\ude00': 'Emoji: Grinning Face',
        '\u0080': 'Control',
        '\u00f6': 'Latin Small Letter O With Diaeresis',
      };
      // Asserted on the text: JSON.parse would move the integer-like key "1" first again.
      expect(canonicalize(input)).toBe(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
          '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
    });
  });

  describe('RFC 8785 appendix B number vectors', () => {
    it.each([
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ])('should serialise IEEE-754 %s as %s', (hex, expected) => {
      expect(canonicalize(float64(hex))).toBe(expected);
    });

    it.each([['7fffffffffffffff'], ['7ff0000000000000'], ['fff0000000000000']])('should refuse the non-finite %s', (hex) => {
      expect(() => canonicalize(float64(hex))).toThrow(CanonicalJsonError);
    });
  });

  describe('values outside JSON', () => {
    it('should drop undefined object members, as JSON.stringify does on the wire', () => {
      expect(canonicalize({ b: 1, a: undefined })).toBe('{"b":1}');
    });

    it('should refuse undefined inside an array, naming where it is', () => {
      expect(() => canonicalize({ list: [1, undefined] })).toThrow('$.list[1]: undefined is not JSON');
    });

    it('should refuse a lone surrogate', () => {
      expect(() => canonicalize({ s: '\ud800x' })).toThrow(/lone surrogate/);
    });

    it('should refuse bigint, functions and symbols', () => {
      expect(() => canonicalize(1n)).toThrow(CanonicalJsonError);
      expect(() => canonicalize({ f: () => 1 })).toThrow(CanonicalJsonError);
      expect(() => canonicalize(Symbol('x'))).toThrow(CanonicalJsonError);
    });

    it('should serialise dates through toJSON, as they go over the wire', () => {
      expect(canonicalize({ at: new Date('2026-01-02T03:04:05.006Z') })).toBe('{"at":"2026-01-02T03:04:05.006Z"}');
    });
  });

  describe('nesting', () => {
    it('should give the same bytes whatever the key order of nested objects', () => {
      const a = { z: { y: [1, { b: 2, a: 1 }], x: null }, a: 'v' };
      const b = { a: 'v', z: { x: null, y: [1, { a: 1, b: 2 }] } };
      expect(canonicalize(a)).toBe(canonicalize(b));
      expect(canonicalize(a)).toBe('{"a":"v","z":{"x":null,"y":[1,{"a":1,"b":2}]}}');
    });
  });
});

describe('canonicalize fast paths', () => {
  it('should order index-like keys, a __proto__ key and toJSON values as the reference does', () => {
    expect(canonicalize({ b: 1, 10: 'x', 9: 'y', a: [{ z: 1, y: 2 }] })).toBe('{"10":"x","9":"y","a":[{"y":2,"z":1}],"b":1}');
    expect(canonicalize(JSON.parse('{"__proto__":{"b":1,"a":2},"c":null}'))).toBe('{"__proto__":{"a":2,"b":1},"c":null}');
    expect(canonicalize({ when: new Date('2026-01-02T03:04:05.000Z'), n: -0 })).toBe('{"n":0,"when":"2026-01-02T03:04:05.000Z"}');
  });

  it('should name where a value is not JSON, whichever path found it', () => {
    expect(() => canonicalize({ a: { b: [1, Number.NaN] } })).toThrow('$.a.b[1]: NaN is not a JSON number');
    expect(() => canonicalize({ 7: { x: undefined, y: [undefined] } })).toThrow('$.7.y[0]: undefined is not JSON');
    expect(() => canonicalize({ s: 'a\ud800' })).toThrow('$.s: string holds a lone surrogate');
  });
});
