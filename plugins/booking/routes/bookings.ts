import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { AuthInfo, PluginContext } from '../../../plugin-sdk.js';
import { createBookingOnce, patchBooking, type Actor } from '../lib/bookings.js';
import { fingerprint, IdempotencyHeaders } from '../lib/idempotency.js';
import { loadBooking, loadOrigin } from '../lib/booking-view.js';
import { BookingDetailsSchema } from './booking-details.js';
import { canReach, searchBookings } from '../lib/search.js';
import { bookingsCsv, bookingsXlsx } from '../lib/export.js';
import { tenantTimezone } from '../lib/config.js';
import { BookingStatus, ClientBody, DateTimeString, EVERYONE, IdParam, STAFF, Uuid } from './schemas.js';

const Filter = {
  from: Type.Optional(DateTimeString),
  to: Type.Optional(DateTimeString),
  status: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', maxLength: 200, description: 'one or several statuses, comma-separated' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'client name or phone, or words of the comment' })),
  serviceId: Type.Optional(Uuid),
  resourceId: Type.Optional(Uuid),
  clientId: Type.Optional(Uuid),
};
const ListQuery = Type.Object({ ...Filter, test: Type.Optional(Type.Boolean({ description: 'true: only test chats\' bookings; false: none of them' })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false });
const ExportQuery = Type.Object({ ...Filter, format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' }) }, { additionalProperties: false });
const CreateBody = Type.Object({
  serviceId: Uuid,
  start: DateTimeString,
  resourceIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true })),
  client: Type.Union([ClientBody, Type.Object({ id: Uuid }, { additionalProperties: false })]),
  source: Type.Union([Type.Literal('admin'), Type.Literal('phone'), Type.Literal('chat'), Type.Literal('widget'), Type.Literal('api')], { default: 'admin' }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  seats: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  hold: Type.Optional(Type.Boolean()),
  force: Type.Optional(Type.Boolean({ description: 'book outside the schedule (never over another booking)' })),
}, { additionalProperties: false });
const PatchBody = Type.Object({
  start: Type.Optional(DateTimeString),
  durationMin: Type.Optional(Type.Integer({ minimum: 5, maximum: 1440, multipleOf: 5, description: 'a new length (resizing), from the same start unless start is given' })),
  resourceIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true })),
  force: Type.Optional(Type.Boolean()),
  status: Type.Optional(BookingStatus),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  cancelReason: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false, minProperties: 1 });

const EXPORT_LIMIT = 50_000;
const userActor = (userId: string): Actor => ({ kind: 'user', id: userId });

/** The administrator's bookings: search, export, create (phone, walk-in), change and history. */
export function bookingRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['bookings'];
  const reachable = async (request: { tenantId: string; auth: AuthInfo | null; params: { id: string } }) => {
    if (!(await canReach(ctx.db, request.tenantId, request.params.id, request.auth))) throw ctx.error('BF_ERR_BOOKING_NOT_FOUND', { id: request.params.id });
  };

  app.get<{ Querystring: Static<typeof ListQuery> }>('/bookings', { schema: { tags, summary: 'Search bookings', querystring: ListQuery }, config: { roles: EVERYONE } }, async (request) =>
    searchBookings(ctx, request.tenantId, request.query, request.auth));

  app.get<{ Querystring: Static<typeof ExportQuery> }>('/bookings/export', { schema: { tags, summary: 'Export exactly the filtered list as CSV or XLSX', querystring: ExportQuery }, config: { roles: STAFF } }, async (request, reply) => {
    const { tenantId } = request;
    const [{ items }, tz, resources] = await Promise.all([
      // A test chat's bookings are no business data: never in an export.
      searchBookings(ctx, tenantId, { ...request.query, test: false, limit: EXPORT_LIMIT }, request.auth),
      tenantTimezone(ctx, tenantId),
      ctx.db.selectFrom('booking_resources').select(['id', 'name']).where('tenant_id', '=', tenantId).execute(),
    ]);
    const names = new Map(resources.map((r) => [r.id, r.name as string]));
    // The business's date: at 01:00 in Moscow the UTC one is still yesterday's.
    const stamp = DateTime.fromJSDate(ctx.now(), { zone: tz }).toISODate();
    if (request.query.format === 'xlsx') {
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="bookings-${stamp}.xlsx"`).send(await bookingsXlsx(items, tz, names));
    }
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="bookings-${stamp}.csv"`).send(bookingsCsv(items, tz, names));
  });

  app.get<{ Params: { id: string } }>('/bookings/:id', {
    schema: { tags, summary: 'A booking\'s details, with where it came from (source, channel, the client\'s answers in the flow)', params: IdParam, response: { 200: BookingDetailsSchema } }, config: { roles: EVERYONE },
  }, async (request) => {
    await reachable(request);
    const [found, origin] = await Promise.all([loadBooking(ctx, ctx.db, request.tenantId, request.params.id), loadOrigin(ctx.db, request.tenantId, request.params.id)]);
    if (!found || !origin) throw ctx.error('BF_ERR_BOOKING_NOT_FOUND', { id: request.params.id });
    return { ...found, origin };
  });

  app.get<{ Params: { id: string } }>('/bookings/:id/history', { schema: { tags, summary: 'Every change of the booking: who, when, before and after', params: IdParam }, config: { roles: EVERYONE } }, async (request) => {
    await reachable(request);
    const rows = await ctx.db.selectFrom('booking_history as h')
      .select(['h.id', 'h.action', 'h.actor_kind', 'h.actor_id', 'h.before', 'h.after', 'h.at'])
      .where('h.tenant_id', '=', request.tenantId).where('h.booking_id', '=', request.params.id).orderBy('h.id').execute();
    if (!rows.length && !(await loadBooking(ctx, ctx.db, request.tenantId, request.params.id))) throw ctx.error('BF_ERR_BOOKING_NOT_FOUND', { id: request.params.id });
    // Who acted, former members too: the history outlives a membership.
    const actors = rows.filter((r) => r.actor_kind === 'user' && r.actor_id).map((r) => r.actor_id as string);
    const emails = new Map((await ctx.members.list(ctx.db, request.tenantId, { userIds: [...new Set(actors)] })).map((m) => [m.userId, m.email]));
    return { items: rows.map((r) => ({ id: Number(r.id), action: r.action, actor: { kind: r.actor_kind, id: r.actor_id, email: emails.get(r.actor_id) ?? null }, before: r.before, after: r.after, at: r.at })) };
  });

  app.post<{ Body: Static<typeof CreateBody>; Headers: Static<typeof IdempotencyHeaders> }>('/bookings', {
    schema: { tags, summary: 'Create a booking (admin, phone call, walk-in); a retry with the same Idempotency-Key gets the same booking', headers: IdempotencyHeaders, body: CreateBody }, config: { roles: STAFF },
  }, async (request, reply) => {
    const b = request.body;
    const { userId } = request.auth!;
    const key = request.headers['idempotency-key'];
    const { view, replayed } = await createBookingOnce(ctx, {
      tenantId: request.tenantId, serviceId: b.serviceId, start: new Date(b.start), resourceIds: b.resourceIds, client: b.client, source: b.source, origin: { source: 'desk' },
      comment: b.comment, seats: b.seats, hold: b.hold, force: b.force, actor: userActor(userId),
      // Scoped by the user: one member's key never finds another's booking, nor a chat's.
      idempotencyKey: key && `api:${userId}:${key}`,
      idempotencyFingerprint: key && fingerprint({ ...b, start: new Date(b.start).toISOString() }),
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(201).send(view);
  });

  app.patch<{ Params: { id: string }; Body: Static<typeof PatchBody> }>('/bookings/:id', {
    schema: { tags, summary: 'Reschedule, resize, change status (cancel with a reason), edit the comment', params: IdParam, body: PatchBody }, config: { roles: EVERYONE },
  }, async (request) => {
    await reachable(request);
    // A specialist moves their own booking in time only, on its own resources: other resources or past the schedule is a manager's call.
    const specialist = request.auth?.role === 'specialist';
    const field = specialist ? (['force', 'resourceIds'] as const).find((f) => request.body[f] !== undefined) : undefined;
    if (field) throw ctx.error('BF_ERR_BOOKING_STAFF_ONLY', { field });
    return patchBooking(ctx, request.tenantId, request.params.id, request.body, userActor(request.auth!.userId), { keepResources: specialist });
  });
}
