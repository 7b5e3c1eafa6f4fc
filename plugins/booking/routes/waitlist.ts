import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { addToWaitlist, claimOffer, offerTimeTo, waitlistView } from '../lib/waitlist.js';
import { inTransaction, setStatusIn } from '../lib/bookings.js';
import { bookingConfig } from '../lib/config.js';
import { collectBusy } from '../lib/availability.js';
import { DateTimeString, EVERYONE, IdParam, STAFF, Uuid } from './schemas.js';

const WaitQuery = Type.Object({ serviceId: Type.Optional(Uuid), status: Type.Optional(Type.Union([Type.Literal('waiting'), Type.Literal('offered'), Type.Literal('booked'), Type.Literal('cancelled')])) }, { additionalProperties: false });
const WaitBody = Type.Object({ clientId: Uuid, serviceId: Uuid, resourceId: Type.Optional(Uuid), day: Type.Optional(Type.String({ format: 'date' })), comment: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

const OfferBody = Type.Object({
  start: DateTimeString,
  resourceIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 10, uniqueItems: true, description: 'as a slot of GET /booking/slots names them; default: the waiter\'s specialist, else whoever is free' })),
}, { additionalProperties: false });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const WaitlistEntry = Type.Object({
  id: Uuid, clientId: Uuid, serviceId: Uuid, resourceId: Nullable(Uuid), day: Nullable(Type.String({ format: 'date' })),
  status: Type.Union([Type.Literal('waiting'), Type.Literal('offered'), Type.Literal('booked'), Type.Literal('cancelled')]), comment: Type.String(), verified: Type.Boolean(),
  offer: Type.Union([Type.Object({ start: DateTimeString, resourceIds: Type.Array(Uuid), expiresAt: DateTimeString, bookingId: Uuid }, { additionalProperties: false }), Type.Null()]),
  createdAt: DateTimeString,
}, { additionalProperties: false });

/** The waitlist as the administrator sees and edits it. */
export function waitlistRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['bookings'];

  app.get<{ Querystring: Static<typeof WaitQuery> }>('/booking/waitlist', { schema: { tags, querystring: WaitQuery }, config: { roles: EVERYONE } }, async (request) => {
    let q = ctx.db.selectFrom('booking_waitlist').selectAll().where('tenant_id', '=', request.tenantId);
    if (request.query.serviceId) q = q.where('service_id', '=', request.query.serviceId);
    q = request.query.status ? q.where('status', '=', request.query.status) : q.where('status', 'in', ['waiting', 'offered']);
    return { items: (await q.orderBy('created_at').orderBy('id').limit(1000).execute()).map(waitlistView) };
  });

  app.post<{ Body: Static<typeof WaitBody> }>('/booking/waitlist', { schema: { tags, body: WaitBody }, config: { roles: STAFF } }, async (request, reply) => {
    const b = request.body;
    // Staff know their client: the entry counts as verified.
    const row = await addToWaitlist(ctx, request.tenantId, { serviceId: b.serviceId, resourceId: b.resourceId, day: b.day, comment: b.comment, client: { id: b.clientId }, verified: true }, request.auth!.userId);
    return reply.status(201).send(waitlistView(row));
  });

  app.post<{ Params: { id: string } }>('/booking/waitlist/:id/claim', { schema: { tags, summary: 'Take the offered time on the client\'s behalf', params: IdParam }, config: { roles: STAFF } }, async (request) => {
    const cfg = await bookingConfig(ctx, request.tenantId);
    return inTransaction(ctx, undefined, (trx) => claimOffer(ctx, trx, request.tenantId, request.params.id, { kind: 'user', id: request.auth!.userId }, cfg));
  });

  app.post<{ Params: { id: string }; Body: Static<typeof OfferBody> }>('/booking/waitlist/:id/offer', {
    schema: { tags, summary: 'Offer the waiter a free time the desk chose: held until the claim deadline and sent to the client as an automatic offer is', params: IdParam, body: OfferBody, response: { 200: WaitlistEntry } },
    config: { roles: STAFF },
  }, async (request) => {
    const { tenantId, params: { id }, body } = request;
    const entry = await ctx.db.selectFrom('booking_waitlist').select('service_id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!entry) throw ctx.error('BF_ERR_BOOKING_WAITLIST_NOT_FOUND', { id });
    const start = new Date(body.start);
    const cfg = await bookingConfig(ctx, tenantId);
    // Busy times elsewhere are asked before the transaction, as for any booking.
    const { busy } = await collectBusy(ctx, tenantId, entry.service_id, start.getTime(), start.getTime() + 1);
    const row = await inTransaction(ctx, start, (trx) => offerTimeTo(ctx, trx, tenantId, id, { start, resourceIds: body.resourceIds }, { kind: 'user', id: request.auth!.userId }, cfg, busy));
    return waitlistView(row);
  });

  app.delete<{ Params: { id: string } }>('/booking/waitlist/:id', { schema: { tags, params: IdParam }, config: { roles: STAFF } }, async (request, reply) => {
    await ctx.transaction(async (trx) => {
      const before = await trx.selectFrom('booking_waitlist').selectAll().where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('status', 'in', ['waiting', 'offered']).forUpdate().executeTakeFirst();
      if (!before) throw ctx.error('BF_ERR_BOOKING_WAITLIST_NOT_FOUND', { id: request.params.id });
      const after = await trx.updateTable('booking_waitlist').set({ status: 'cancelled' }).where('tenant_id', '=', request.tenantId).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
      // An offer holds its time: the hold goes with the entry, and the time is offered to the next waiter.
      const hold = before.status === 'offered' && before.booking_id
        ? await trx.selectFrom('booking_bookings').select('status').where('tenant_id', '=', request.tenantId).where('id', '=', before.booking_id).forUpdate().executeTakeFirst()
        : undefined;
      if (hold?.status === 'held') await setStatusIn(ctx, trx, request.tenantId, before.booking_id!, 'cancelled', { kind: 'user', id: request.auth!.userId }, 'waitlist entry cancelled');
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'booking_waitlist', entityId: request.params.id, action: 'cancel', before, after });
    });
    return reply.status(204).send();
  });
}
