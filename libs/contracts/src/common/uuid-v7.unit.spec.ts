import { z } from 'zod';
import { uuidv7 } from './uuid-v7.js';

describe('uuidv7', () => {
  it('should produce RFC 9562 version 7 UUIDs carrying the time', () => {
    const id = uuidv7(Date.parse('2026-11-21T09:00:00.000Z'));
    expect(z.uuid({ version: 'v7' }).safeParse(id).success).toBe(true);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-11-21T09:00:00.000Z'));
  });

  it('should sort in creation order, also within one millisecond', () => {
    const now = Date.now() + 10_000;
    const ids = Array.from({ length: 2_000 }, () => uuidv7(now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
