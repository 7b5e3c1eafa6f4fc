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

/**
 * Maps wall-clock minutes of one local day to instants: plain arithmetic on a 24-hour day,
 * Luxon only on the day of a DST change.
 */
export function dayClock(day: DateTime): (minutes: number) => number {
  const start = day.toMillis();
  const next = day.plus({ days: 1 }).startOf('day').toMillis();
  if (next - start === 86_400_000) return (m) => start + m * 60_000;
  return (m) => localInstant(day, m);
}

/** One local date of the business: computed once per query and shared by every resource. */
export interface LocalDay {
  iso: string;
  weekday: number;
  /** local midnight */
  start: number;
  at: (minutes: number) => number;
}

export function localDayList(from: number, to: number, tz: string): LocalDay[] {
  return localDays(from, to, tz).map((d) => ({ iso: d.toISODate()!, weekday: d.weekday, start: d.toMillis(), at: dayClock(d) }));
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
export function workingTime(weekly: WeeklyInterval[], exceptions: ResourceException[], tz: string, from: number, to: number, days = localDayList(from, to, tz)): Interval[] {
  const base: Interval[] = [];
  for (const { iso, weekday, at } of days) {
    for (const w of weekly) {
      if (w.weekday !== weekday) continue;
      if (w.validFrom && iso < w.validFrom) continue;
      if (w.validTo && iso > w.validTo) continue;
      base.push({ start: at(w.startMin), end: at(w.endMin) });
    }
  }
  const extra = exceptions.filter((e) => e.kind === 'extra_work').map(({ start, end }) => ({ start, end }));
  const blocked = normalize(exceptions.filter((e) => e.kind !== 'extra_work').map(({ start, end }) => ({ start, end })));
  const clip = { start: from, end: to };
  return subtract(union(base, extra), blocked).map((i) => ({ start: Math.max(i.start, clip.start), end: Math.min(i.end, clip.end) })).filter((i) => i.start < i.end);
}

/** Periods a service is closed over [from, to): service exceptions only ever block. */
export function serviceBlocked(exceptions: ServiceException[], tz: string, from: number, to: number, days = localDayList(from, to, tz)): Interval[] {
  const out: Interval[] = [];
  for (const { iso, weekday, at } of days) {
    for (const e of exceptions) {
      const onDate = e.dateFrom && e.dateTo ? iso >= e.dateFrom && iso <= e.dateTo : true;
      const onWeekday = e.weekday ? e.weekday === weekday : true;
      if (!onDate || !onWeekday) continue;
      out.push({ start: at(e.startMin ?? 0), end: at(e.endMin ?? 1440) });
    }
  }
  return normalize(out);
}
