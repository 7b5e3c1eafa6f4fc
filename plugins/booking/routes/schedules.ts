import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, PluginContext, Tx } from '../../../plugin-sdk.js';
import { workingTime } from '../slots/working.js';
import { tenantTimezone } from '../lib/config.js';
import { parseRange } from '../lib/range.js';
import { addException, exceptionView } from '../lib/exceptions.js';
import { DateTimeString, EVERYONE, IdParam, STAFF, Uuid } from './schemas.js';

const LocalDate = Type.String({ format: 'date' });
const Interval = Type.Object({
  weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday' }),
  startMin: Type.Integer({ minimum: 0, maximum: 1439, description: 'minutes from local midnight' }),
  endMin: Type.Integer({ minimum: 1, maximum: 1440 }),
  validFrom: Type.Optional(Type.Union([LocalDate, Type.Null()])),
  validTo: Type.Optional(Type.Union([LocalDate, Type.Null()])),
}, { additionalProperties: false });
const ScheduleBody = Type.Object({ intervals: Type.Array(Interval, { maxItems: 500 }) }, { additionalProperties: false });
const ExceptionKind = Type.Union([Type.Literal('vacation'), Type.Literal('sick_leave'), Type.Literal('blocked'), Type.Literal('extra_work')]);
const ExceptionBody = Type.Object({ resourceId: Uuid, kind: ExceptionKind, start: DateTimeString, end: DateTimeString, reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
const ExceptionQuery = Type.Object({ resourceId: Type.Optional(Uuid), from: Type.Optional(DateTimeString), to: Type.Optional(DateTimeString) }, { additionalProperties: false });
const ServiceExceptionBody = Type.Object({
  serviceId: Uuid,
  dateFrom: Type.Optional(LocalDate), dateTo: Type.Optional(LocalDate),
  weekday: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
  startMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 1439 })), endMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
const RangeQuery = Type.Object({ from: Type.Optional(DateTimeString), to: Type.Optional(DateTimeString) }, { additionalProperties: false });

type IntervalBody = Static<typeof Interval>;

async function requireResource(ctx: PluginContext, trx: Db | Tx, tenantId: string, id: string) {
  const r = await trx.selectFrom('booking_resources').select(['id', 'kind']).where('tenant_id', '=', tenantId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!r) throw ctx.error('BF_ERR_BOOKING_RESOURCE_NOT_FOUND', { id });
  return r;
}

/** Intervals of one weekday may touch but not overlap (a break is the gap between two). */
function checkIntervals(ctx: PluginContext, intervals: IntervalBody[]) {
  const sorted = [...intervals].sort((a, b) => a.weekday - b.weekday || a.startMin - b.startMin);
  sorted.forEach((i, n) => {
    const prev = sorted[n - 1];
    const overlapsPrev = prev && prev.weekday === i.weekday && prev.endMin > i.startMin && (prev.validFrom ?? null) === (i.validFrom ?? null) && (prev.validTo ?? null) === (i.validTo ?? null);
    if (i.startMin >= i.endMin || overlapsPrev) throw ctx.error('BF_ERR_BOOKING_SCHEDULE_INVALID', { weekday: i.weekday, start: i.startMin, end: i.endMin });
  });
}


/** Weekly schedules, dated exceptions of resources and blocking exceptions of services. */
export function scheduleRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['booking'];

  app.get<{ Params: { id: string } }>('/booking/resources/:id/schedule', { schema: { tags, params: IdParam }, config: { roles: EVERYONE } }, async (request) => {
    await requireResource(ctx, ctx.db, request.tenantId, request.params.id);
    const rows = await ctx.db.selectFrom('booking_schedules').select(['weekday', 'start_min', 'end_min', sql<string | null>`valid_from::text`.as('valid_from'), sql<string | null>`valid_to::text`.as('valid_to')])
      .where('tenant_id', '=', request.tenantId).where('resource_id', '=', request.params.id).orderBy('weekday').orderBy('start_min').execute();
    return { intervals: rows.map((r) => ({ weekday: r.weekday, startMin: r.start_min, endMin: r.end_min, validFrom: r.valid_from, validTo: r.valid_to })) };
  });

  app.put<{ Params: { id: string }; Body: Static<typeof ScheduleBody> }>('/booking/resources/:id/schedule', {
    schema: { tags, summary: 'Replace the weekly schedule (wall-clock minutes in the business time zone)', params: IdParam, body: ScheduleBody }, config: { roles: STAFF },
  }, async (request) => {
    const { tenantId } = request;
    checkIntervals(ctx, request.body.intervals);
    await ctx.transaction(async (trx) => {
      await requireResource(ctx, trx, tenantId, request.params.id);
      const before = await trx.deleteFrom('booking_schedules').where('tenant_id', '=', tenantId).where('resource_id', '=', request.params.id).returningAll().execute();
      const rows = request.body.intervals.map((i) => ({ tenant_id: tenantId, resource_id: request.params.id, weekday: i.weekday, start_min: i.startMin, end_min: i.endMin, valid_from: i.validFrom ?? null, valid_to: i.validTo ?? null }));
      if (rows.length) await trx.insertInto('booking_schedules').values(rows).execute();
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'booking_resource', entityId: request.params.id, action: 'set-schedule', before, after: request.body.intervals });
    });
    return request.body;
  });

  app.get<{ Params: { id: string }; Querystring: Static<typeof RangeQuery> }>('/booking/resources/:id/working-time', {
    schema: { tags, summary: 'Working intervals of a resource over a range, exceptions applied', params: IdParam, querystring: RangeQuery }, config: { roles: EVERYONE },
  }, async (request) => {
    const { tenantId } = request;
    await requireResource(ctx, ctx.db, tenantId, request.params.id);
    const { from, to } = await parseRange(ctx, tenantId, request.query.from, request.query.to);
    const [tz, weekly, exceptions] = await Promise.all([
      tenantTimezone(ctx, tenantId),
      ctx.db.selectFrom('booking_schedules').select(['weekday', 'start_min', 'end_min', sql<string | null>`valid_from::text`.as('valid_from'), sql<string | null>`valid_to::text`.as('valid_to')]).where('tenant_id', '=', tenantId).where('resource_id', '=', request.params.id).execute(),
      ctx.db.selectFrom('booking_exceptions').select(['kind', sql<Date>`lower(period)`.as('start'), sql<Date>`upper(period)`.as('end')]).where('tenant_id', '=', tenantId).where('resource_id', '=', request.params.id).where('deleted_at', 'is', null).execute(),
    ]);
    const intervals = workingTime(weekly.map((w) => ({ weekday: w.weekday, startMin: w.start_min, endMin: w.end_min, validFrom: w.valid_from, validTo: w.valid_to })),
      exceptions.map((e) => ({ kind: e.kind, start: new Date(e.start).getTime(), end: new Date(e.end).getTime() })), tz, from, to);
    return { timezone: tz, intervals: intervals.map((i) => ({ start: new Date(i.start).toISOString(), end: new Date(i.end).toISOString() })) };
  });

  app.get<{ Querystring: Static<typeof ExceptionQuery> }>('/booking/exceptions', { schema: { tags, querystring: ExceptionQuery }, config: { roles: EVERYONE } }, async (request) => {
    let q = ctx.db.selectFrom('booking_exceptions').select(['id', 'resource_id', 'kind', 'reason', 'created_at', sql<Date>`lower(period)`.as('start'), sql<Date>`upper(period)`.as('end')])
      .where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null);
    if (request.query.resourceId) q = q.where('resource_id', '=', request.query.resourceId);
    if (request.query.from) q = q.where(sql<boolean>`upper(period) > ${new Date(request.query.from)}`);
    if (request.query.to) q = q.where(sql<boolean>`lower(period) < ${new Date(request.query.to)}`);
    return { items: (await q.orderBy(sql`lower(period)`).execute()).map(exceptionView) };
  });

  app.post<{ Body: Static<typeof ExceptionBody> }>('/booking/exceptions', {
    schema: { tags, summary: 'Add a vacation, sick leave, blocked hours or an extra working period', body: ExceptionBody }, config: { roles: STAFF },
  }, async (request, reply) => reply.status(201).send(await addException(ctx, request.tenantId, request.body, request.auth!.userId)));

  app.delete<{ Params: { id: string } }>('/booking/exceptions/:id', { schema: { tags, params: IdParam }, config: { roles: STAFF } }, async (request, reply) => {
    await ctx.transaction(async (trx) => {
      const before = await trx.updateTable('booking_exceptions').set({ deleted_at: ctx.now() }).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
      if (!before) throw ctx.error('BF_ERR_BOOKING_EXCEPTION_NOT_FOUND', { id: request.params.id });
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'booking_exception', entityId: request.params.id, action: 'delete', before });
    });
    return reply.status(204).send();
  });

  app.get<{ Querystring: { serviceId?: string } }>('/booking/service-exceptions', { schema: { tags, querystring: Type.Object({ serviceId: Type.Optional(Uuid) }, { additionalProperties: false }) }, config: { roles: EVERYONE } }, async (request) => {
    let q = ctx.db.selectFrom('booking_service_exceptions').select(['id', 'service_id', sql<string | null>`date_from::text`.as('date_from'), sql<string | null>`date_to::text`.as('date_to'), 'weekday', 'start_min', 'end_min', 'reason'])
      .where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null);
    if (request.query.serviceId) q = q.where('service_id', '=', request.query.serviceId);
    return { items: (await q.orderBy('created_at').execute()).map((r) => ({ id: r.id, serviceId: r.service_id, dateFrom: r.date_from, dateTo: r.date_to, weekday: r.weekday, startMin: r.start_min, endMin: r.end_min, reason: r.reason })) };
  });

  app.post<{ Body: Static<typeof ServiceExceptionBody> }>('/booking/service-exceptions', {
    schema: { tags, summary: 'Close a service on dates or on a weekday (blocking only)', body: ServiceExceptionBody }, config: { roles: STAFF },
  }, async (request, reply) => {
    const b = request.body;
    const datesOk = (b.dateFrom === undefined) === (b.dateTo === undefined) && (!b.dateFrom || b.dateFrom <= b.dateTo!);
    const timesOk = (b.startMin === undefined) === (b.endMin === undefined) && (b.startMin === undefined || b.startMin < b.endMin!);
    if (!datesOk || !timesOk || (!b.dateFrom && !b.weekday)) {
      const field = !datesOk ? '/body/dateTo' : !timesOk ? '/body/endMin' : '/body/dateFrom';
      throw ctx.error('BF_ERR_BOOKING_RANGE_INVALID', { from: b.dateFrom ?? b.startMin ?? '', to: b.dateTo ?? b.endMin ?? '', field });
    }
    const row = await ctx.transaction(async (trx) => {
      const found = await trx.selectFrom('booking_services').select('id').where('tenant_id', '=', request.tenantId).where('id', '=', b.serviceId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!found) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id: b.serviceId });
      const created = await trx.insertInto('booking_service_exceptions').values({ tenant_id: request.tenantId, service_id: b.serviceId, date_from: b.dateFrom ?? null, date_to: b.dateTo ?? null, weekday: b.weekday ?? null, start_min: b.startMin ?? null, end_min: b.endMin ?? null, reason: b.reason ?? '' })
        .returning('id').executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'booking_service_exception', entityId: created.id, action: 'create', after: b });
      return created;
    });
    return reply.status(201).send({ id: row.id, ...b });
  });

  app.delete<{ Params: { id: string } }>('/booking/service-exceptions/:id', { schema: { tags, params: IdParam }, config: { roles: STAFF } }, async (request, reply) => {
    await ctx.transaction(async (trx) => {
      const before = await trx.updateTable('booking_service_exceptions').set({ deleted_at: ctx.now() }).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
      if (!before) throw ctx.error('BF_ERR_BOOKING_EXCEPTION_NOT_FOUND', { id: request.params.id });
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'booking_service_exception', entityId: request.params.id, action: 'delete', before });
    });
    return reply.status(204).send();
  });
}
