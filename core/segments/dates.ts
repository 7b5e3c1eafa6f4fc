import { DateTime } from 'luxon';

/**
 * Calendar arithmetic for segment rules, in the business's zone: "within the last 7 days" starts at local
 * midnight 7 days ago, which is not 7 × 24 hours back across a DST change, nor a UTC midnight.
 */

/** The instant local midnight of `day` (YYYY-MM-DD) begins in `zone`. */
export function dayStart(day: string, zone: string): Date {
  return DateTime.fromISO(day, { zone }).startOf('day').toJSDate();
}

/** The instant local midnight begins `offsetDays` from today (negative: back) in `zone`. */
export function todayStart(now: Date, zone: string, offsetDays = 0): Date {
  return DateTime.fromJSDate(now, { zone }).startOf('day').plus({ days: offsetDays }).toJSDate();
}

/** The next day after `day`, for inclusive ends of day ranges. */
export function nextDay(day: string): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}

/** A year holds at most this many distinct month-days. */
const YEAR = 366;

/**
 * The month-days (MM-DD) of the local days from today + `from` to today + `to` (inclusive), for anniversaries
 * such as birthdays. 29 February counts on 28 February in years without it, so those clients are not skipped.
 */
export function monthDays(now: Date, zone: string, from: number, to: number): string[] {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const out = new Set<string>();
  for (let i = from; i <= Math.min(to, from + YEAR - 1); i++) {
    const d = today.plus({ days: i });
    out.add(d.toFormat('MM-dd'));
    if (d.month === 2 && d.day === 28 && !d.isInLeapYear) out.add('02-29');
  }
  return [...out];
}
