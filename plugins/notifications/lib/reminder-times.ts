import { DateTime } from 'luxon';
import type { QuietHours } from './config.js';

const MINUTE = 60_000;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Where a moment falls in the business's quiet hours: the local start of the quiet period it is in, or null
 * when it is outside them. A period may run over midnight (22:00–09:00).
 */
export function quietStart(at: number, quiet: QuietHours | null, zone: string): number | null {
  if (!quiet || quiet.from === quiet.to) return null;
  const local = DateTime.fromMillis(at, { zone });
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  const now = local.hour * 60 + local.minute;
  const overMidnight = from > to;
  const inside = overMidnight ? now >= from || now < to : now >= from && now < to;
  if (!inside) return null;
  // Started yesterday evening when we are past midnight in an over-midnight period.
  const day = overMidnight && now < to ? local.minus({ days: 1 }) : local;
  return day.set({ hour: Math.floor(from / 60), minute: from % 60, second: 0, millisecond: 0 }).toMillis();
}

export interface ReminderTime {
  offset: number;
  at: Date;
}

/**
 * When each reminder of a visit goes: `offset` minutes before the start, moved earlier out of quiet hours (never
 * later). Offsets already past at `now` are skipped (a booking made 3 hours ahead gets no "tomorrow" reminder), and
 * so is one whose quiet-hours move would put it in the past; two that land on the same moment go once.
 */
export function reminderTimes(start: Date, offsets: number[], now: Date, quiet: QuietHours | null, zone: string): ReminderTime[] {
  const out: ReminderTime[] = [];
  const seen = new Set<number>();
  for (const offset of [...offsets].sort((a, b) => b - a)) {
    const due = start.getTime() - offset * MINUTE;
    if (due <= now.getTime()) continue;
    const at = quietStart(due, quiet, zone) ?? due;
    if (at <= now.getTime() || seen.has(at)) continue;
    seen.add(at);
    out.push({ offset, at: new Date(at) });
  }
  return out;
}

/** An escalation step's moment: quiet hours move it earlier too; none when that is not after `notBefore` (the step it follows). */
export function stepTime(start: Date, minutesBefore: number, notBefore: Date, quiet: QuietHours | null, zone: string): Date | null {
  const due = start.getTime() - minutesBefore * MINUTE;
  const at = quietStart(due, quiet, zone) ?? due;
  return at > notBefore.getTime() ? new Date(at) : null;
}
