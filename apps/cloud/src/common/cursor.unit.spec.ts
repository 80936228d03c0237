import { ContractValidationError } from '@app/contracts';
import { decodeCursor, encodeCursor } from './cursor.js';

const isNumber = (v: unknown): v is number => typeof v === 'number';

describe('decodeCursor', () => {
  it('should give back what encodeCursor wrapped', () => {
    expect(decodeCursor(encodeCursor(42), isNumber)).toBe(42);
    expect(decodeCursor(undefined, isNumber)).toBeUndefined();
  });

  it.each([
    ['garbage', 'not-base64-json'],
    ['the wrong shape', encodeCursor('forty-two')],
  ])('should refuse %s as a 400 naming the cursor', (_label, cursor) => {
    let error: unknown;
    try {
      decodeCursor(cursor, isNumber);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContractValidationError);
    expect((error as ContractValidationError).issues).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });
});
