import { validate } from '../validation/validate.js';
import { MAX_JSON_DEPTH, jsonObjectSchema, jsonValueSchema } from './primitives.js';

describe('jsonValueSchema', () => {
  it.each([null, 'text', 0, -1.5, true, [], [1, 'a', null, { b: [false] }], { a: { b: { c: [1, 2, { d: 'e' }] } } }])(
    'should accept the JSON value %j as it is',
    (value) => {
      expect(validate(jsonValueSchema, value)).toEqual({ ok: true, value });
    },
  );

  it.each([
    ['an infinite number', { a: [1, Infinity] }, 'a[1]', 'must be a finite number'],
    ['NaN', Number.NaN, '', 'must be a finite number'],
    ['undefined', { a: undefined }, 'a', 'must be a JSON value'],
    ['a function', [() => 1], '[0]', 'must be a JSON value'],
    ['a date object', { at: new Date() }, 'at', 'must be a JSON value'],
    ['a bigint', { n: 1n }, 'n', 'must be a JSON value'],
  ])('should refuse %s, naming where', (_label, value, path, message) => {
    const result = validate(jsonValueSchema, value, 'payload');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([expect.objectContaining({ path: path ? `payload.${path}`.replace('.[', '[') : 'payload', message })]);
  });

  it('should refuse JSON nested deeper than the limit instead of exhausting the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const result = validate(jsonValueSchema, deep);
    expect(!result.ok && result.issues[0]?.message).toBe(`must not be nested more than ${MAX_JSON_DEPTH} levels deep`);
  });
});

describe('jsonObjectSchema', () => {
  it('should accept a JSON object and hand back the same object', () => {
    const value = { items: [{ sku: 'A', qty: 1 }] };
    const result = validate(jsonObjectSchema, value);
    expect(result.ok && result.value).toBe(value);
  });

  it.each([
    ['a string', 'x'],
    ['an array', [1]],
    ['null', null],
    ['a class instance', new Map()],
  ])('should refuse %s as the object', (_label, value) => {
    const result = validate(jsonObjectSchema, value, 'payload');
    expect(!result.ok && result.issues).toEqual([expect.objectContaining({ path: 'payload', message: 'must be a JSON object' })]);
  });
});
