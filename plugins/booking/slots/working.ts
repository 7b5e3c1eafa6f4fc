import { DateTime } from 'luxon';
import { normalize, subtract, union, type Interval } from './intervals.js';

/** One weekly interval in wall-clock minutes from local midnight; weekday 1 = Monday (ISO). */
export interface WeeklyInterval {
  weekday: number;
  startMin: number;
  endMin: number;
  /** local dates (yyyy-mm-dd), inclusive */
  validFrom?: string | null;
  validTo?: string | null;
}

export interface ResourceException {
  kind: 'vacation' | 'sick_leave' | 'blocked' | 'extra_work';
  start: number;
  end: number;
}

export interface ServiceException {
  dateFrom?: string | null;
  dateTo?: string | null;
  weekday?: number | null;
  startMin?: number | null;
  endMin?: number | null;
}

/** The instant of a wall-clock time on a local date; nonexistent DST times move forward (Luxon's rule). */
export function localInstant(day: DateTime, minutes: number): number {
  if (minutes >= 1440) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}

/** Local dates (at local midnight) touching [from, to). */
export function localDays(from: number, to: number, tz: string): DateTime[] {
  const days: DateTime[] = [];
  let d = DateTime.fromMillis(from, { zone: tz }).startOf('day');
  while (d.toMillis() < to) {
    days.push(d);
    d = d.plus({ days: 1 }).startOf('day');
  }
  return days;
}

/**
 * Working time of one resource over [from, to): the weekly template laid on each local date,
 * plus extra working periods, minus absences and blocked hours.
 */
export function workingTime(weekly: WeeklyInterval[], exceptions: ResourceException[], tz: string, from: number, to: number): Interval[] {
  const base: Interval[] = [];
  for (const day of localDays(from, to, tz)) {
    const iso = day.toISODate()!;
    for (const w of weekly) {
      if (w.weekday !== day.weekday) continue;
      if (w.validFrom && iso < w.validFrom) continue;
      if (w.validTo && iso > w.validTo) continue;
      base.push({ start: localInstant(day, w.startMin), end: localInstant(day, w.endMin) });
    }
  }
  const extra = exceptions.filter((e) => e.kind === 'extra_work').map(({ start, end }) => ({ start, end }));
  const blocked = normalize(exceptions.filter((e) => e.kind !== 'extra_work').map(({ start, end }) => ({ start, end })));
  const clip = { start: from, end: to };
  return subtract(union(base, extra), blocked).map((i) => ({ start: Math.max(i.start, clip.start), end: Math.min(i.end, clip.end) })).filter((i) => i.start < i.end);
}

/** Periods a service is closed over [from, to): service exceptions only ever block. */
export function serviceBlocked(exceptions: ServiceException[], tz: string, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (const day of localDays(from, to, tz)) {
    const iso = day.toISODate()!;
    for (const e of exceptions) {
      const onDate = e.dateFrom && e.dateTo ? iso >= e.dateFrom && iso <= e.dateTo : true;
      const onWeekday = e.weekday ? e.weekday === day.weekday : true;
      if (!onDate || !onWeekday) continue;
      out.push({ start: localInstant(day, e.startMin ?? 0), end: localInstant(day, e.endMin ?? 1440) });
    }
  }
  return normalize(out);
}
