import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { bookingConfig } from '../lib/config.js';
import { normalizePhone } from '../lib/clients.js';
import { ADMINS, IdParam, Phone, STAFF } from './schemas.js';

const ClientQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }, { additionalProperties: false });
const ClientCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Type.Optional(Phone),
  telegramChatId: Type.Optional(Type.String({ maxLength: 64 })),
  notes: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });
const ClientUpdate = Type.Partial(ClientCreate, { additionalProperties: false, minProperties: 1 });

const view = (r: Record<string, any>) => ({ id: r.id, name: r.name, phone: r.phone, telegramChatId: r.telegram_chat_id, notes: r.notes, createdAt: r.created_at });

/** Clients of the business: later plugins (loyalty, CRM) reference booking_clients. */
export function clientRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['clients'];
  const row = (tenantId: string, id: string) => ctx.db.selectFrom('booking_clients').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();

  app.get<{ Querystring: Static<typeof ClientQuery> }>('/clients', { schema: { tags, summary: 'Find clients by name or phone', querystring: ClientQuery }, config: { roles: STAFF } }, async (request) => {
    let q = ctx.db.selectFrom('booking_clients').selectAll().where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null);
    const text = request.query.q?.trim();
    if (text) {
      const digits = text.replace(/\D/g, '');
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('name', 'ilike', like), ...(digits.length >= 3 ? [eb('phone', 'like', `%${digits}%`)] : [])]));
    }
    return { items: (await q.orderBy('name').orderBy('id').limit(request.query.limit).execute()).map(view) };
  });

  app.get<{ Params: { id: string } }>('/clients/:id', { schema: { tags, params: IdParam }, config: { roles: STAFF } }, async (request) => {
    const found = await row(request.tenantId, request.params.id);
    if (!found) throw ctx.error('BF_ERR_BOOKING_CLIENT_NOT_FOUND', { id: request.params.id });
    return view(found);
  });

  app.post<{ Body: Static<typeof ClientCreate> }>('/clients', { schema: { tags, body: ClientCreate }, config: { roles: STAFF } }, async (request, reply) => {
    const { defaultCountryCode } = await bookingConfig(ctx, request.tenantId);
    const b = request.body;
    const phone = b.phone ? normalizePhone(ctx, b.phone, defaultCountryCode) : null;
    const created = await ctx.transaction(async (trx) => {
      const c = await trx.insertInto('booking_clients').values({ tenant_id: request.tenantId, name: b.name, phone, telegram_chat_id: b.telegramChatId ?? null, notes: b.notes ?? '' }).returningAll().executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'booking_client', entityId: c.id, action: 'create', after: c });
      return c;
    });
    return reply.status(201).send(view(created));
  });

  app.patch<{ Params: { id: string }; Body: Static<typeof ClientUpdate> }>('/clients/:id', { schema: { tags, params: IdParam, body: ClientUpdate }, config: { roles: STAFF } }, async (request) => {
    const { defaultCountryCode } = await bookingConfig(ctx, request.tenantId);
    const b = request.body;
    const updated = await ctx.transaction(async (trx) => {
      const before = await trx.selectFrom('booking_clients').selectAll().where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
      if (!before) throw ctx.error('BF_ERR_BOOKING_CLIENT_NOT_FOUND', { id: request.params.id });
      const after = await trx.updateTable('booking_clients').set({
        ...(b.name !== undefined ? { name: b.name } : {}), ...(b.notes !== undefined ? { notes: b.notes } : {}),
        ...(b.phone !== undefined ? { phone: normalizePhone(ctx, b.phone, defaultCountryCode) } : {}),
        ...(b.telegramChatId !== undefined ? { telegram_chat_id: b.telegramChatId } : {}), updated_at: ctx.now(),
      }).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).returningAll().executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'booking_client', entityId: request.params.id, action: 'update', before, after });
      return after;
    });
    return view(updated);
  });

  app.delete<{ Params: { id: string } }>('/clients/:id', { schema: { tags, params: IdParam }, config: { roles: ADMINS } }, async (request, reply) => {
    await ctx.transaction(async (trx) => {
      const before = await trx.updateTable('booking_clients').set({ deleted_at: ctx.now() }).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
      if (!before) throw ctx.error('BF_ERR_BOOKING_CLIENT_NOT_FOUND', { id: request.params.id });
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'booking_client', entityId: request.params.id, action: 'delete', before });
    });
    return reply.status(204).send();
  });
}
