import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';
import { searchBookings } from '../lib/search.js';
import { bookingConfig } from '../lib/config.js';
import { EVERYONE } from './schemas.js';

const JournalQuery = Type.Object({
  date: Type.Optional(Type.String({ format: 'date', description: 'the first day, yyyy-mm-dd, in the business\'s time zone; today there when left out' })),
  days: Type.Integer({ minimum: 1, maximum: 31, default: 1 }),
}, { additionalProperties: false });

const KIND_ORDER = { staff: 0, room: 1, equipment: 2 } as Record<string, number>;
/** What the journal draws: the grid holds the time, so cancelled and expired bookings stay off it. */
const ON_GRID = 'held,pending,confirmed,arrived,completed,no_show';
const MAX_BOOKINGS = 5000;

/**
 * The journal's days in one answer: the columns (staff by department in the business's order, then rooms and
 * equipment) and the bookings of the days, which start and end at the business's midnights, not UTC's.
 */
export function journalRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Querystring: Static<typeof JournalQuery> }>('/booking/journal', {
    schema: { tags: ['bookings'], summary: 'Columns and bookings of one or more days in the business\'s time zone', querystring: JournalQuery }, config: { roles: EVERYONE },
  }, async (request) => {
    const { tenantId, auth } = request;
    const [{ timezone, currency }, { cancelUndoMinutes }] = await Promise.all([ctx.business(tenantId), bookingConfig(ctx, tenantId)]);
    const { date } = request.query;
    const first = (date ? DateTime.fromISO(date, { zone: timezone }) : DateTime.fromJSDate(ctx.now(), { zone: timezone })).startOf('day');
    if (!first.isValid) throw ctx.error('BF_ERR_BOOKING_RANGE_INVALID', { from: date, to: date });
    const from = first.toUTC().toISO()!;
    const to = first.plus({ days: request.query.days }).toUTC().toISO()!;
    let q = ctx.db.selectFrom('booking_resources as r')
      .leftJoin('booking_departments as d', (j) => j.onRef('d.tenant_id', '=', 'r.tenant_id').onRef('d.id', '=', 'r.department_id'))
      .select(['r.id', 'r.kind', 'r.name', 'r.title', 'r.color', 'r.department_id', 'r.user_id', 'd.name as department_name', 'd.sort as department_sort', 'r.sort'])
      .where('r.tenant_id', '=', tenantId).where('r.deleted_at', 'is', null).where('r.active', '=', true);
    // A specialist's journal is their own columns.
    if (auth?.role === 'specialist') q = q.where('r.user_id', '=', auth.userId);
    const rows = await q.execute();
    rows.sort((a, b) => (KIND_ORDER[a.kind] - KIND_ORDER[b.kind])
      || (a.kind === 'staff' ? (Number(a.department_sort ?? 0) - Number(b.department_sort ?? 0)) || String(a.department_name ?? '').localeCompare(String(b.department_name ?? '')) : 0)
      || (a.sort - b.sort) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const { items } = await searchBookings(ctx, tenantId, { from, to, status: ON_GRID, limit: MAX_BOOKINGS }, auth);
    return {
      timezone, currency, cancelUndoMinutes, date: first.toISODate(), from, to,
      // The app's clock: the undo window counts on it, whatever the browser's clock says.
      now: ctx.now().toISOString(),
      columns: rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name, title: r.title ?? '', color: r.color ?? null, departmentId: r.department_id, departmentName: r.department_name ?? '' })),
      bookings: items,
    };
  });
}
