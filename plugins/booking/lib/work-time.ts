import { sql } from 'kysely';
import type { PluginContext } from '../../../plugin-sdk.js';
import { workingTime, type ResourceException } from '../slots/working.js';
import type { Interval } from '../slots/intervals.js';

/** Each resource's working intervals in [from, to) (ms): its weekly schedule with exceptions applied; and the exceptions themselves. */
export async function workIntervals(ctx: PluginContext, tenantId: string, ids: string[], tz: string, from: number, to: number): Promise<Map<string, { work: Interval[]; exceptions: ResourceException[] }>> {
  const [weekly, exceptions] = ids.length ? await Promise.all([
    ctx.db.selectFrom('booking_schedules').select(['resource_id', 'weekday', 'start_min', 'end_min', sql<string | null>`valid_from::text`.as('valid_from'), sql<string | null>`valid_to::text`.as('valid_to')])
      .where('tenant_id', '=', tenantId).where('resource_id', 'in', ids).execute(),
    ctx.db.selectFrom('booking_exceptions').select(['resource_id', 'kind', sql<Date>`lower(period)`.as('start'), sql<Date>`upper(period)`.as('end')])
      .where('tenant_id', '=', tenantId).where('resource_id', 'in', ids).where('deleted_at', 'is', null)
      .where(sql<boolean>`period && tstzrange(${new Date(from)}, ${new Date(to)})`).execute(),
  ]) : [[], []];
  return new Map(ids.map((id) => {
    const mine = exceptions.filter((e) => e.resource_id === id).map((e) => ({ kind: e.kind as ResourceException['kind'], start: new Date(e.start).getTime(), end: new Date(e.end).getTime() }));
    const work = workingTime(weekly.filter((w) => w.resource_id === id).map((w) => ({ weekday: w.weekday, startMin: w.start_min, endMin: w.end_min, validFrom: w.valid_from, validTo: w.valid_to })), mine, tz, from, to);
    return [id, { work, exceptions: mine }];
  }));
}
