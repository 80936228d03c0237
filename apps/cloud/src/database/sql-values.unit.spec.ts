import { byBytes, fromJsonColumn } from './sql-values.js';

describe('byBytes', () => {
  it('should cut groups at the byte budget and the row count, keeping order', () => {
    expect(byBytes([1, 2, 3, 4, 5], (n) => n, 6, 10)).toEqual([[1, 2, 3], [4], [5]]);
    expect(byBytes([1, 1, 1, 1, 1], (n) => n, 100, 2)).toEqual([[1, 1], [1, 1], [1]]);
  });

  it('should give an item over the budget a group of its own rather than drop it', () => {
    expect(byBytes([50, 1], (n) => n, 10, 10)).toEqual([[50], [1]]);
    expect(byBytes([], (n: number) => n)).toEqual([]);
  });
});

describe('fromJsonColumn', () => {
  it('should read JSON from MariaDB (text) and MySQL (parsed) alike', () => {
    expect(fromJsonColumn('{"a":[1]}')).toEqual({ a: [1] });
    expect(fromJsonColumn({ a: [1] })).toEqual({ a: [1] });
  });
});
