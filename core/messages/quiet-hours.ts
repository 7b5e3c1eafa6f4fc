import { DateTime } from 'luxon';

/** The business's quiet hours, wall-clock times in its zone; `from` later than `to` spans midnight. */
export interface QuietHours {
  from: string;
  to: string;
}

const parts = (hhmm: string) => {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour, minute, second: 0, millisecond: 0 };
};

/**
 * When the quiet hours that hold `at` end (in `zone`, so across a DST change the wall-clock end stays right),
 * or null when `at` is outside them.
 */
export function quietHoursEnd(at: Date, zone: string, quiet: QuietHours | null | undefined): Date | null {
  if (!quiet || quiet.from === quiet.to) return null;
  const local = DateTime.fromJSDate(at, { zone });
  const day = local.startOf('day');
  const from = day.set(parts(quiet.from));
  const to = day.set(parts(quiet.to));
  if (from < to) return local >= from && local < to ? to.toJSDate() : null;
  // Spans midnight: quiet after `from` until tomorrow's `to`, and before today's `to`.
  if (local < to) return to.toJSDate();
  if (local >= from) return day.plus({ days: 1 }).set(parts(quiet.to)).toJSDate();
  return null;
}
