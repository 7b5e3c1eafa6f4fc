import { DateTime } from 'luxon';
import { compare } from '../nodes/runtimes.js';
import { lookup } from '../template.js';
import type { EventTriggerSettings } from './event-trigger-type.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIT_MS = { minutes: 60_000, hours: 3_600_000 } as const;

export type TriggerPlan = { contactId: string; runAt: Date } | { skip: string };

export interface PlanInput {
  settings: EventTriggerSettings;
  payload: Record<string, unknown>;
  /** payload paths of `format: date-time` fields: filters compare them as instants */
  timeFields: ReadonlySet<string>;
  /** when the event happened, on the app's clock */
  eventAt: Date;
  now: Date;
  /** the business's zone: "1 day before" is the same wall-clock time the day before, across a DST change too */
  timezone: string;
}

const instant = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : Number.NaN);

/** Moves an instant by whole days in the zone (calendar days) or by exact minutes and hours. */
export function shift(at: Date, amount: number, unit: 'minutes' | 'hours' | 'days', timezone: string): Date {
  if (unit === 'days') return DateTime.fromJSDate(at, { zone: timezone }).plus({ days: amount }).toJSDate();
  return new Date(at.getTime() + amount * UNIT_MS[unit]);
}

/**
 * What one event trigger does with one event: which contact, and when the flow starts; or why not. A start
 * meant to come *before* a time that is already too close is skipped (a day-ahead reminder for a booking
 * made an hour ahead would say the wrong thing); one *after* a time already past starts now.
 */
export function planTrigger(p: PlanInput): TriggerPlan {
  const { settings, payload } = p;
  const contactId = lookup(payload, settings.contactField);
  if (typeof contactId !== 'string' || !UUID.test(contactId)) return { skip: `no contact id in ${settings.contactField}` };
  for (const c of settings.filter ?? []) {
    const actual = lookup(payload, c.field);
    const holds = p.timeFields.has(c.field) && c.value !== undefined ? compare(instant(actual), c.op, instant(c.value)) : compare(actual, c.op, c.value);
    if (!holds) return { skip: `filter ${c.field} ${c.op} does not hold` };
  }
  const o = settings.offset;
  if (!o) return { contactId, runAt: p.now };
  const anchorMs = o.field ? instant(lookup(payload, o.field)) : p.eventAt.getTime();
  if (!Number.isFinite(anchorMs)) return { skip: `no time in ${o.field}` };
  const runAt = shift(new Date(anchorMs), o.direction === 'before' ? -o.amount : o.amount, o.unit, p.timezone);
  if (runAt.getTime() > p.now.getTime()) return { contactId, runAt };
  if (o.direction === 'before') return { skip: `${o.amount} ${o.unit} before ${o.field} has already passed` };
  return { contactId, runAt: p.now };
}
