import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';
import { contractsToPrepare, runMorning } from '../lib/morning.js';
import { Day, EVERYONE, STAFF } from './schemas.js';

const DayQuery = Type.Object({ date: Type.Optional(Day) }, { additionalProperties: false });
const EquipmentQuery = Type.Object({
  date: Type.Optional(Day),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'the day holding this instant (a booking\'s start), in the business\'s zone' })),
}, { additionalProperties: false });

/** A day of the business in its zone: [start, end) as instants, today when no date is given. */
export async function businessDay(ctx: PluginContext, tenantId: string, date?: string, at?: string) {
  const { timezone } = await ctx.business(tenantId);
  const start = (date ? DateTime.fromISO(date, { zone: timezone }) : DateTime.fromJSDate(at ? new Date(at) : ctx.now(), { zone: timezone })).startOf('day');
  return { date: start.toISODate()!, from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}

export function dayRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.post('/crm/tasks/run', { schema: { tags: ['crm'], summary: 'Make today\'s CRM tasks now (the morning job does it every day)' }, config: { roles: [...STAFF] } }, async (request) =>
    runMorning(ctx, request.tenantId));

  app.get<{ Querystring: Static<typeof DayQuery> }>('/crm/contracts', {
    schema: { tags: ['crm'], summary: 'Guests of a day whose medical booking needs a contract their card lacks', querystring: DayQuery }, config: { roles: [...STAFF] },
  }, async (request) => {
    const day = await businessDay(ctx, request.tenantId, request.query.date);
    return { date: day.date, items: await contractsToPrepare(ctx, request.tenantId, day.from, day.to) };
  });

  // The booking form's third panel (seed 003: "занятость оборудования — быстро как оценить?").
  app.get<{ Querystring: Static<typeof EquipmentQuery> }>('/crm/equipment', {
    schema: { tags: ['crm'], summary: 'Each piece of equipment\'s busy times on a day', querystring: EquipmentQuery }, config: { roles: [...EVERYONE] },
  }, async (request) => {
    const booking = ctx.service('booking');
    const day = await businessDay(ctx, request.tenantId, request.query.date, request.query.at);
    const equipment = (await booking.resources(request.tenantId)).filter((r) => r.kind === 'equipment');
    const busy = equipment.length ? await booking.bookings(request.tenantId, { from: day.from, to: day.to, resourceIds: equipment.map((e) => e.id), statuses: ['held', 'pending', 'confirmed', 'arrived', 'completed'] }) : [];
    return {
      date: day.date,
      items: equipment.map((e) => {
        const mine = busy.filter((b) => b.resourceIds.includes(e.id)).map((b) => ({ start: b.start, end: b.end, bookingId: b.id }));
        const busyMinutes = mine.reduce((sum, b) => sum + (new Date(b.end).getTime() - new Date(b.start).getTime()) / 60_000, 0);
        return { resourceId: e.id, name: e.name, busy: mine, busyMinutes };
      }),
    };
  });
}
