import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';
import type { BookingSummary } from '../../booking/contract.js';
import { cardRows } from '../lib/cards.js';
import { Day, STAFF } from './schemas.js';

const PeriodQuery = Type.Object({ from: Day, to: Day, source: Type.Optional(Type.Union(['chat', 'widget', 'admin', 'phone', 'api'].map((s) => Type.Literal(s)))) }, { additionalProperties: false });
const MAX_DAYS = 366;
const VISITED = ['completed'];
const BUSY = ['pending', 'confirmed', 'arrived', 'completed'];
const MADE = ['pending', 'confirmed', 'arrived', 'completed', 'no_show', 'cancelled'];

/** The days [from, to] of the business's calendar as instants; at most a year. */
async function period(ctx: PluginContext, tenantId: string, q: Static<typeof PeriodQuery>) {
  const { timezone } = await ctx.business(tenantId);
  const from = DateTime.fromISO(q.from, { zone: timezone }).startOf('day');
  const to = DateTime.fromISO(q.to, { zone: timezone }).startOf('day').plus({ days: 1 });
  if (!(to > from) || to.diff(from, 'days').days > MAX_DAYS) throw ctx.error('BF_ERR_CRM_PERIOD_INVALID', { from: q.from, to: q.to, field: 'to' });
  return { timezone, from: from.toJSDate(), to: to.toJSDate() };
}

const share = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 10 : 0);

/** Seed 003's funnel and seed 004's "peak hours, repeat visits, staff efficiency", over booking's history. */
export function reportRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const load = async (tenantId: string, q: Static<typeof PeriodQuery>) => {
    const p = await period(ctx, tenantId, q);
    const all = await ctx.service('booking').bookings(tenantId, { from: p.from, to: p.to, statuses: MADE as BookingSummary['status'][] });
    return { ...p, bookings: q.source ? all.filter((b) => b.source === q.source) : all };
  };

  app.get<{ Querystring: Static<typeof PeriodQuery> }>('/crm/reports/funnel', {
    schema: { tags: ['crm'], summary: 'Calls → bookings → visits → regular clients (2+ visits) in a period, by source, with each step\'s conversion', querystring: PeriodQuery },
    config: { roles: [...STAFF] },
  }, async (request) => {
    const { bookings } = await load(request.tenantId, request.query);
    const calls = await ctx.extensions.collect(request.tenantId, 'crm.calls', { from: request.query.from, to: request.query.to });
    const callCount = calls.results.reduce((n, r) => n + (Number.isFinite(r.value) ? Number(r.value) : 0), 0);
    const visits = bookings.filter((b) => VISITED.includes(b.status));
    const visitors = [...new Set(visits.map((b) => b.clientId))];
    const cards = await cardRows(ctx.db, request.tenantId, visitors);
    const regular = visitors.filter((id) => { const c = cards.get(id)!; return c.visits + c.prior_visits >= 2; });
    const bySource: Record<string, { bookings: number; visits: number }> = {};
    for (const b of bookings) {
      const s = (bySource[b.source] ??= { bookings: 0, visits: 0 });
      s.bookings++;
      if (VISITED.includes(b.status)) s.visits++;
    }
    return {
      steps: [
        { step: 'calls', count: callCount, conversion: null },
        { step: 'bookings', count: bookings.length, conversion: callCount ? share(bookings.filter((b) => b.source === 'phone').length, callCount) : null },
        { step: 'visits', count: visits.length, conversion: share(visits.length, bookings.length) },
        { step: 'regular', count: regular.length, conversion: share(regular.length, visitors.length) },
      ],
      bySource,
    };
  });

  app.get<{ Querystring: Static<typeof PeriodQuery> }>('/crm/reports/heatmap', {
    schema: { tags: ['crm'], summary: 'Bookings by weekday (1 = Monday) and hour in the business\'s time zone', querystring: PeriodQuery }, config: { roles: [...STAFF] },
  }, async (request) => {
    const { bookings, timezone } = await load(request.tenantId, request.query);
    const cells: number[][] = Array.from({ length: 7 }, () => Array(24).fill(0));
    for (const b of bookings) { const d = DateTime.fromISO(b.start, { zone: timezone }); cells[d.weekday - 1][d.hour]++; }
    return { timezone, cells };
  });

  app.get<{ Querystring: Static<typeof PeriodQuery> }>('/crm/reports/staff', {
    schema: { tags: ['crm'], summary: 'Per specialist: bookings, visits, booked and working hours, occupancy, revenue, the share of repeat clients and the rating (reviews)', querystring: PeriodQuery }, config: { roles: [...STAFF] },
  }, async (request) => {
    const { bookings, from, to } = await load(request.tenantId, request.query);
    const booking = ctx.service('booking');
    const staff = (await booking.resources(request.tenantId)).filter((r) => r.kind === 'staff');
    const ids = staff.map((s) => s.id);
    const [working, ratings] = await Promise.all([
      booking.workingMinutes(request.tenantId, ids, { from, to }),
      ctx.extensions.collect(request.tenantId, 'crm.staffRatings', { resourceIds: ids, from: from.toISOString(), to: to.toISOString() }),
    ]);
    // Rated when a reviews plugin answers and the specialist has reviews of the period's visits; null otherwise.
    const rating = new Map(ratings.results.flatMap((r) => r.value).map((x) => [x.resourceId, { average: x.average, count: x.count }]));
    const minutesOf = (list: BookingSummary[]) => list.reduce((m, b) => m + (new Date(b.end).getTime() - new Date(b.start).getTime()) / 60_000, 0);
    return {
      items: staff.map((s) => {
        const mine = bookings.filter((b) => b.resourceIds.includes(s.id));
        const done = mine.filter((b) => VISITED.includes(b.status));
        const perClient = new Map<string, number>();
        for (const b of done) perClient.set(b.clientId, (perClient.get(b.clientId) ?? 0) + 1);
        const repeat = [...perClient.values()].filter((n) => n >= 2).length;
        // Occupancy: the working time taken by bookings that hold it (not cancelled, not missed).
        const held = minutesOf(mine.filter((b) => BUSY.includes(b.status)));
        return {
          resourceId: s.id, name: s.name, bookings: mine.length, visits: done.length, hours: Math.round(minutesOf(done) / 6) / 10,
          workHours: Math.round(working[s.id] / 6) / 10, occupancy: share(held, working[s.id]),
          revenue: done.reduce((sum, b) => sum + b.price.amount, 0), repeatRate: share(repeat, perClient.size), rating: rating.get(s.id) ?? null,
        };
      }),
    };
  });
}
