import { dayInTimeZone, isValidTimeZone } from './time-zone.js';

describe('dayInTimeZone', () => {
  it.each([
    ['2026-03-02T04:30:00Z', 'America/New_York', '2026-03-01'],
    ['2026-03-02T04:30:00Z', 'UTC', '2026-03-02'],
    ['2026-03-01T23:30:00Z', 'Asia/Tokyo', '2026-03-02'],
    // London on summer time: 23:30 UTC is already the next day.
    ['2026-07-10T23:30:00Z', 'Europe/London', '2026-07-11'],
    ['2026-01-10T23:30:00Z', 'Europe/London', '2026-01-10'],
  ])('should place %s on the calendar day of %s', (at, timeZone, day) => {
    expect(dayInTimeZone(new Date(at), timeZone)).toBe(day);
  });
});

describe('isValidTimeZone', () => {
  it('should know IANA zones and nothing else', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
