import { describe, expect, it } from 'vitest';
import { parseDate } from '../nodes/runtimes.js';

// A typed date without a year is the next such day in the business's zone, counted from the clock's now.
describe('input node: typed dates', () => {
  it('a day without a year is this year\'s, or next year\'s once it has passed, by the business\'s date', () => {
    // 23:30 on 31 December in Moscow is already 1 January in Tokyo, still 31 December in Moscow.
    const eve = new Date('2026-12-31T23:30:00+03:00');
    expect(parseDate('31.12', 'Europe/Moscow', eve)).toBe('2026-12-31');
    expect(parseDate('1.1', 'Europe/Moscow', eve)).toBe('2027-01-01');
    expect(parseDate('30.12', 'Europe/Moscow', eve)).toBe('2027-12-30');
    expect(parseDate('31.12', 'Asia/Tokyo', eve)).toBe('2027-12-31');
  });

  it('29 February is the next leap year\'s, and a full date is taken as typed', () => {
    expect(parseDate('29.02', 'Europe/Moscow', new Date('2027-03-01T10:00:00+03:00'))).toBe('2028-02-29');
    expect(parseDate('29.02', 'Europe/Moscow', new Date('2028-02-29T10:00:00+03:00'))).toBe('2028-02-29');
    expect(parseDate('29.02.2027', 'Europe/Moscow', new Date('2026-12-01T10:00:00+03:00'))).toBeUndefined();
    expect(parseDate('24.12.2026', 'Europe/Moscow', new Date('2027-06-01T10:00:00+03:00'))).toBe('2026-12-24');
    expect(parseDate('someday', 'Europe/Moscow', new Date())).toBeUndefined();
  });
});
