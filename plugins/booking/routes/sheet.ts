import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';
import { workIntervals } from '../lib/work-time.js';
import { tenantTimezone } from '../lib/config.js';
import { EVERYONE } from './schemas.js';

const SheetQuery = Type.Object({
  date: Type.Optional(Type.String({ format: 'date', description: 'the first day, yyyy-mm-dd, in the business\'s time zone; today there when left out' })),
  days: Type.Integer({ minimum: 1, maximum: 31, default: 14 }),
}, { additionalProperties: false });

const ABSENCES = ['vacation', 'sick_leave'] as const;
const localTime = (ms: number, tz: string) => DateTime.fromMillis(ms, { zone: tz }).toFormat('HH:mm');

/**
 * The staff work-schedule sheet salons keep on paper: per specialist and day, the working hours (schedule
 * and exceptions applied), or the absence (vacation, sick leave) that makes it a day off.
 */
export function sheetRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Querystring: Static<typeof SheetQuery> }>('/booking/journal/sheet', {
    schema: { tags: ['bookings'], summary: 'Who works when: staff by day over a range (two weeks by default), with days off and absences', querystring: SheetQuery },
    config: { roles: EVERYONE },
  }, async (request) => {
    const { tenantId, auth } = request;
    const tz = await tenantTimezone(ctx, tenantId);
    const first = (request.query.date ? DateTime.fromISO(request.query.date, { zone: tz }) : DateTime.fromJSDate(ctx.now(), { zone: tz })).startOf('day');
    if (!first.isValid) throw ctx.error('BF_ERR_BOOKING_RANGE_INVALID', { from: request.query.date, to: request.query.date });
    const days = Array.from({ length: request.query.days }, (_, i) => first.plus({ days: i }));
    const [from, to] = [first.toMillis(), first.plus({ days: request.query.days }).toMillis()];
    let staffQ = ctx.db.selectFrom('booking_resources as r')
      .leftJoin('booking_departments as d', (j) => j.onRef('d.tenant_id', '=', 'r.tenant_id').onRef('d.id', '=', 'r.department_id'))
      .select(['r.id', 'r.name', 'r.sort', 'd.name as department_name', 'd.sort as department_sort'])
      .where('r.tenant_id', '=', tenantId).where('r.kind', '=', 'staff').where('r.deleted_at', 'is', null).where('r.active', '=', true);
    if (auth?.role === 'specialist') staffQ = staffQ.where('r.user_id', '=', auth.userId);
    const staff = (await staffQ.execute()).sort((a, b) => (Number(a.department_sort ?? 0) - Number(b.department_sort ?? 0))
      || String(a.department_name ?? '').localeCompare(String(b.department_name ?? '')) || (a.sort - b.sort) || a.name.localeCompare(b.name));
    const ids = staff.map((r) => r.id);
    const work = await workIntervals(ctx, tenantId, ids, tz, from, to);
    return {
      timezone: tz, date: first.toISODate(), days: days.map((d) => d.toISODate()),
      rows: staff.map((r) => {
        const { work: intervals, exceptions: mine } = work.get(r.id)!;
        return {
          id: r.id, name: r.name, departmentName: r.department_name ?? '',
          days: days.map((d) => {
            const [start, end] = [d.toMillis(), d.plus({ days: 1 }).toMillis()];
            const absence = mine.find((e) => (ABSENCES as readonly string[]).includes(e.kind) && e.start < end && e.end > start)?.kind ?? null;
            const hours = intervals.filter((i) => i.start < end && i.end > start).map((i) => `${localTime(Math.max(i.start, start), tz)}–${localTime(Math.min(i.end, end), tz)}`);
            return { date: d.toISODate(), hours, absence };
          }),
        };
      }),
    };
  });
}
