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

/**
 * A zone's local days by date: what a day is (its midnight, its clock) never changes, and working it out costs Luxon
 * several Intl calls, which were most of a slot query's own time. Bounded: cleared when full.
 */
const knownDays = new Map<string, LocalDay>();
const KNOWN_DAYS_MAX = 50_000;

function localDay(tz: string, iso: string): LocalDay {
  const key = `${tz}|${iso}`;
  let day = knownDays.get(key);
  if (!day) {
    const d = DateTime.fromISO(iso, { zone: tz }).startOf('day');
    day = { iso, weekday: d.weekday, start: d.toMillis(), at: dayClock(d) };
    if (knownDays.size >= KNOWN_DAYS_MAX) knownDays.clear();
    knownDays.set(key, day);
  }
  return day;
}

/** The next calendar date of a yyyy-mm-dd date. */
const nextDate = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Local dates (from local midnight) touching [from, to). */
export function localDayList(from: number, to: number, tz: string): LocalDay[] {
  const days: LocalDay[] = [];
  for (let day = localDay(tz, DateTime.fromMillis(from, { zone: tz }).toISODate()!); day.start < to; day = localDay(tz, nextDate(day.iso))) days.push(day);
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
