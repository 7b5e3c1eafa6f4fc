import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';

export interface Proposal {
  resourceIds: string[];
  serviceIds: string[];
  dateFrom: string;
  dateTo: string;
  from: string;
  to: string;
  /** free time in the span, hours */
  freeHours: number;
}

/**
 * Hot windows worth making: per day from tomorrow and per resource the service's free time is left on, the span
 * from its first free start to its last free end, when that resource still has at least `minFreeHours` free.
 */
export async function proposals(ctx: PluginContext, tenantId: string, serviceId: string, days: number, minFreeHours: number): Promise<Proposal[]> {
  const { timezone } = await ctx.business(tenantId);
  const tomorrow = DateTime.fromJSDate(ctx.now(), { zone: timezone }).plus({ days: 1 }).startOf('day');
  const slots = await ctx.service('booking').slots(tenantId, { serviceId, from: tomorrow.toJSDate(), to: tomorrow.plus({ days }).toJSDate() });
  const spans = new Map<string, Array<[number, number]>>();
  for (const s of slots) {
    const start = DateTime.fromISO(s.start, { zone: timezone });
    // the first resource is the one the service is for (a specialist); rooms and devices follow
    const key = `${start.toISODate()}|${s.resourceIds[0]}`;
    spans.set(key, [...(spans.get(key) ?? []), [start.toMillis(), DateTime.fromISO(s.end).toMillis()]]);
  }
  const out: Proposal[] = [];
  for (const [key, intervals] of spans) {
    const [date, resourceId] = key.split('|');
    intervals.sort((a, b) => a[0] - b[0]);
    let free = 0;
    let reach = -Infinity;
    for (const [a, b] of intervals) {
      free += Math.max(0, b - Math.max(a, reach));
      reach = Math.max(reach, b);
    }
    if (free / 3_600_000 < minFreeHours) continue;
    const fmt = (ms: number) => DateTime.fromMillis(ms, { zone: timezone }).toFormat('HH:mm');
    out.push({ resourceIds: [resourceId], serviceIds: [serviceId], dateFrom: date, dateTo: date, from: fmt(intervals[0][0]), to: fmt(intervals[intervals.length - 1][0] + 60_000), freeHours: Math.round(free / 360_000) / 10 });
  }
  return out.sort((a, b) => a.dateFrom.localeCompare(b.dateFrom) || b.freeHours - a.freeHours);
}
