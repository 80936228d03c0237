import { z } from 'zod';
import { ContractValidationError, formatPath } from './validation-error.js';
import { parseOrThrow, validate } from './validate.js';

const schema = z.object({ store: z.object({ items: z.array(z.object({ price: z.number().min(0) })) }) });

describe('validate', () => {
  it('should name every offending field by its path', () => {
    const result = validate(schema, { store: { items: [{ price: 1 }, { price: -1 }, { price: 'x' }] } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual(['store.items[1].price', 'store.items[2].price']);
  });

  it('should prefix paths when asked', () => {
    const result = validate(z.object({ a: z.string() }), {}, 'payload');
    expect(!result.ok && result.issues[0]?.path).toBe('payload.a');
  });
});

describe('parseOrThrow', () => {
  it('should throw a ContractValidationError whose message names the fields', () => {
    expect(() => parseOrThrow(schema, { store: { items: [{ price: -1 }] } }, 'menu')).toThrow(ContractValidationError);
    expect(() => parseOrThrow(schema, { store: { items: [{ price: -1 }] } }, 'menu')).toThrow(/^Invalid menu: store\.items\[0\]\.price: /);
  });
});

describe('formatPath', () => {
  it('should write array indexes in brackets', () => {
    expect(formatPath(['a', 0, 'b', 1])).toBe('a[0].b[1]');
    expect(formatPath([0])).toBe('[0]');
  });
});
