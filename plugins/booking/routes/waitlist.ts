import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { claimOffer, waitlistView } from '../lib/waitlist.js';
import { inTransaction, setStatusIn } from '../lib/bookings.js';
import { bookingConfig } from '../lib/config.js';
import { EVERYONE, IdParam, STAFF, Uuid } from './schemas.js';

const WaitQuery = Type.Object({ serviceId: Type.Optional(Uuid), status: Type.Optional(Type.Union([Type.Literal('waiting'), Type.Literal('offered'), Type.Literal('booked'), Type.Literal('cancelled')])) }, { additionalProperties: false });
const WaitBody = Type.Object({ clientId: Uuid, serviceId: Uuid, resourceId: Type.Optional(Uuid), day: Type.Optional(Type.String({ format: 'date' })), comment: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

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
    const row = await ctx.transaction(async (trx) => {
      const client = await trx.selectFrom('booking_clients').select('id').where('tenant_id', '=', request.tenantId).where('id', '=', b.clientId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!client) throw ctx.error('BF_ERR_BOOKING_CLIENT_NOT_FOUND', { id: b.clientId });
      const service = await trx.selectFrom('booking_services').select('id').where('tenant_id', '=', request.tenantId).where('id', '=', b.serviceId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!service) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id: b.serviceId });
      const created = await trx.insertInto('booking_waitlist').values({ tenant_id: request.tenantId, client_id: b.clientId, service_id: b.serviceId, resource_id: b.resourceId ?? null, day: b.day ?? null, comment: b.comment ?? '' }).returningAll().executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'booking_waitlist', entityId: created.id, action: 'create', after: created });
      return created;
    });
    return reply.status(201).send(waitlistView(row));
  });

  app.post<{ Params: { id: string } }>('/booking/waitlist/:id/claim', { schema: { tags, summary: 'Take the offered time on the client\'s behalf', params: IdParam }, config: { roles: STAFF } }, async (request) => {
    const cfg = await bookingConfig(ctx, request.tenantId);
    return inTransaction(ctx, undefined, (trx) => claimOffer(ctx, trx, request.tenantId, request.params.id, { kind: 'user', id: request.auth!.userId }, cfg));
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
