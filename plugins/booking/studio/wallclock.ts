import { DateTime } from 'luxon';

/**
 * The calendar component draws browser-local Dates; the journal shows the business's clock. A "wall" Date
 * carries the business's local fields as the browser's, so 10:00 in Vladivostok is drawn at 10:00 anywhere.
 */
export function toWall(iso: string, zone: string): Date {
  const t = DateTime.fromISO(iso, { zone });
  return new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** The instant a wall Date stands for in the business's zone, as ISO (UTC). */
export function fromWall(d: Date, zone: string): string {
  return DateTime.fromObject({ year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes() }, { zone }).toUTC().toISO()!;
}

/** yyyy-mm-dd of a wall Date. */
export const wallDate = (d: Date): string => DateTime.fromJSDate(d).toISODate()!;

/** A wall Date at the start of a business-local yyyy-mm-dd. */
export const dayStart = (date: string): Date => DateTime.fromISO(date).toJSDate();
