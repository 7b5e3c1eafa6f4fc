import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { LocalizedText, PluginContext } from '../../../plugin-sdk.js';
import type { BookingSummary } from '../../booking/contract.js';
import { notificationsConfig, TEMPLATE_KINDS, type TemplateKind } from './config.js';
import { bookingButtons, bookingFacts, clockIn, placeholders, renderTemplate, type BookingFacts } from './compose.js';
import { newLinkCode, scheduleAgenda } from './staff.js';

const STAFF = ['owner', 'admin', 'manager'] as const;
const CLIENT_CHANNELS = ['telegram', 'webchat', 'phone', 'email'] as const;
const EVERYONE = ['owner', 'admin', 'manager', 'specialist'] as const;
const Uuid = Type.String({ format: 'uuid' });
const IdParam = Type.Object({ id: Uuid });
const Text = Type.Object({ en: Type.Optional(Type.String({ maxLength: 2000 })), ru: Type.Optional(Type.String({ maxLength: 2000 })), uk: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
const PreviewBody = Type.Object({
  kind: Type.Union(TEMPLATE_KINDS.map((k) => Type.Literal(k))),
  /** the text being edited; the saved one (or the built-in) when left out */
  text: Type.Optional(Text),
  bookingId: Type.Optional(Uuid),
}, { additionalProperties: false });
const OffsetsBody = Type.Object({ offsets: Type.Union([Type.Array(Type.Integer({ minimum: 5, maximum: 20160 }), { maxItems: 10, uniqueItems: true }), Type.Null()]) }, { additionalProperties: false });
const Topic = Type.Union(['booking.new', 'booking.changed', 'booking.cancelled', 'lead.new', 'review.low', 'call.missed', 'task.new'].map((t) => Type.Literal(t)));
const PrefsBody = Type.Object({
  topics: Type.Optional(Type.Array(Topic, { maxItems: 7, uniqueItems: true })),
  agendaTime: Type.Optional(Type.Union([Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }), Type.Null()])),
  /** the same alerts and agenda to the member's account email too (the business's SMTP) */
  email: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const ChannelBody = Type.Object({ channel: Type.Union([Type.Union(CLIENT_CHANNELS.map((c) => Type.Literal(c))), Type.Null()]) }, { additionalProperties: false });

/** A made-up visit tomorrow at 11:00, for previewing a text before any booking exists. */
async function sampleFacts(ctx: PluginContext, tenantId: string): Promise<BookingFacts> {
  const business = await ctx.business(tenantId);
  const cfg = await notificationsConfig(ctx, tenantId);
  const start = DateTime.fromJSDate(ctx.now(), { zone: business.timezone }).plus({ days: 1 }).set({ hour: 11, minute: 0, second: 0, millisecond: 0 }).toJSDate();
  const booking: BookingSummary = { id: '00000000-0000-0000-0000-000000000000', serviceId: '', clientId: '', status: 'confirmed', start: start.toISOString(), end: start.toISOString(), resourceIds: [], seats: 1, price: { amount: 0, currency: business.currency }, source: 'admin', serviceName: ctx.t(business.locale, 'sample.service'), clientConfirmedAt: null };
  return { booking, contact: null, specialist: ctx.t(business.locale, 'sample.specialist'), clock: clockIn(business.timezone), address: business.address ?? '', mapLink: cfg.mapUrl, phone: cfg.businessPhone, prepayment: null, points: null };
}

export function notificationRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['notifications'];

  app.get<{ Params: Static<typeof IdParam> }>('/notifications/bookings/:id/timeline', {
    schema: { tags, summary: "A booking's notifications: reminders ahead, messages sent (ids for their status), the client's reactions", params: IdParam }, config: { roles: [...STAFF] },
  }, async (request) => {
    const b = await ctx.service('booking').getBooking(request.tenantId, request.params.id);
    if (!b) throw ctx.error('BF_ERR_NOTIFICATIONS_BOOKING_NOT_FOUND', { id: request.params.id });
    const [log, reminders] = await Promise.all([
      ctx.db.selectFrom('notifications_log').select(['id', 'kind', 'message_id', 'detail', 'at']).where('tenant_id', '=', request.tenantId).where('booking_id', '=', b.id).orderBy('id').execute(),
      ctx.db.selectFrom('notifications_reminders').select(['offset_min', 'run_at']).where('tenant_id', '=', request.tenantId).where('booking_id', '=', b.id).orderBy('run_at').execute(),
    ]);
    return {
      items: log.map((r) => ({ id: Number(r.id), kind: r.kind, messageId: r.message_id, detail: r.detail, at: new Date(r.at).toISOString() })),
      scheduled: reminders.map((r) => ({ offsetMinutes: r.offset_min, at: new Date(r.run_at).toISOString() })),
      clientConfirmedAt: b.clientConfirmedAt,
    };
  });

  app.post<{ Body: Static<typeof PreviewBody> }>('/notifications/preview', {
    schema: { tags, summary: 'A message as the client will read it: the text in every language and its buttons, for a booking or a sample one', body: PreviewBody }, config: { roles: [...STAFF] },
  }, async (request) => {
    const { tenantId } = request;
    const cfg = await notificationsConfig(ctx, tenantId);
    let facts: BookingFacts;
    if (request.body.bookingId) {
      const b = await ctx.service('booking').getBooking(tenantId, request.body.bookingId);
      if (!b) throw ctx.error('BF_ERR_NOTIFICATIONS_BOOKING_NOT_FOUND', { id: request.body.bookingId });
      facts = await bookingFacts(ctx, tenantId, b, cfg);
    } else facts = await sampleFacts(ctx, tenantId);
    const kind = request.body.kind as TemplateKind;
    const edited = request.body.text ? { ...cfg, templates: { ...cfg.templates, [kind]: request.body.text } } : cfg;
    const text = renderTemplate(ctx, edited, kind, (l) => placeholders(ctx, facts, l, { reason: '…', until: facts.clock.time(facts.booking.start) }));
    const buttons = ['created', 'reminder', 'second'].includes(kind) ? bookingButtons(ctx, facts, cfg.rescheduleFlow).flat().map((b) => b.label as LocalizedText) : [];
    return { text, buttons };
  });

  const knownService = async (tenantId: string, id: string) => {
    if (!(await ctx.service('booking').services(tenantId, [id])).length) throw ctx.error('BF_ERR_NOTIFICATIONS_SERVICE_NOT_FOUND', { id });
  };

  app.get<{ Params: Static<typeof IdParam> }>('/notifications/services/:id/offsets', { schema: { tags, summary: "A service's own reminder offsets (null: the business's)", params: IdParam }, config: { roles: [...STAFF] } }, async (request) => {
    await knownService(request.tenantId, request.params.id);
    const row = await ctx.db.selectFrom('notifications_service_offsets').select('offsets').where('tenant_id', '=', request.tenantId).where('service_id', '=', request.params.id).executeTakeFirst();
    return { offsets: row?.offsets ?? null };
  });

  app.put<{ Params: Static<typeof IdParam>; Body: Static<typeof OffsetsBody> }>('/notifications/services/:id/offsets', {
    schema: { tags, summary: "Sets a service's own reminder offsets (for bookings made or moved from now on); null: the business's", params: IdParam, body: OffsetsBody }, config: { roles: ['owner', 'admin'] },
  }, async (request) => {
    const { tenantId } = request;
    const { offsets } = request.body;
    await knownService(tenantId, request.params.id);
    await ctx.transaction(async (trx) => {
      if (offsets === null) await trx.deleteFrom('notifications_service_offsets').where('tenant_id', '=', tenantId).where('service_id', '=', request.params.id).execute();
      else await trx.insertInto('notifications_service_offsets').values({ tenant_id: tenantId, service_id: request.params.id, offsets }).onConflict((oc) => oc.columns(['tenant_id', 'service_id']).doUpdateSet({ offsets })).execute();
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'notifications_service_offsets', entityId: request.params.id, action: 'update', after: { offsets } });
    });
    return { offsets };
  });

  const knownContact = async (tenantId: string, id: string) => {
    if (!(await ctx.contacts.get(ctx.db, tenantId, id))) throw ctx.error('BF_ERR_NOTIFICATIONS_CONTACT_NOT_FOUND', { id });
  };

  app.get<{ Params: Static<typeof IdParam> }>('/notifications/contacts/:id/channel', { schema: { tags, summary: "The channel a client asked to be written to first (null: the business's order)", params: IdParam }, config: { roles: [...STAFF] } }, async (request) => {
    await knownContact(request.tenantId, request.params.id);
    const row = await ctx.db.selectFrom('notifications_client_channels').select('channel').where('tenant_id', '=', request.tenantId).where('contact_id', '=', request.params.id).executeTakeFirst();
    return { channel: row?.channel ?? null };
  });

  app.put<{ Params: Static<typeof IdParam>; Body: Static<typeof ChannelBody> }>('/notifications/contacts/:id/channel', {
    schema: { tags, summary: "Sets the channel a client's reminders and messages try first (then the business's order); null: the business's order", params: IdParam, body: ChannelBody }, config: { roles: [...STAFF] },
  }, async (request) => {
    const { tenantId } = request;
    const { channel } = request.body;
    await knownContact(tenantId, request.params.id);
    await ctx.transaction(async (trx) => {
      if (channel === null) await trx.deleteFrom('notifications_client_channels').where('tenant_id', '=', tenantId).where('contact_id', '=', request.params.id).execute();
      else await trx.insertInto('notifications_client_channels').values({ tenant_id: tenantId, contact_id: request.params.id, channel }).onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doUpdateSet({ channel })).execute();
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'notifications_client_channels', entityId: request.params.id, action: 'update', after: { channel } });
    });
    return { channel };
  });

  app.post('/notifications/staff/link-code', {
    schema: { tags, summary: "A one-time code (15 minutes) for the member's deep link into the business's bot: t.me/<bot>?start=<start>" }, config: { roles: [...EVERYONE] },
  }, async (request, reply) => reply.status(201).send(await newLinkCode(ctx, request.tenantId, request.auth!.userId)));

  const prefsOf = async (tenantId: string, userId: string) => {
    const row = await ctx.db.selectFrom('notifications_staff').select(['chat_id', 'topics', 'agenda_time', 'linked_at', 'email']).where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst();
    return { linked: Boolean(row?.chat_id), linkedAt: row?.linked_at ? new Date(row.linked_at).toISOString() : null, topics: row?.topics ?? ['booking.new', 'booking.changed', 'booking.cancelled', 'lead.new', 'review.low', 'call.missed', 'task.new'], agendaTime: row?.agenda_time ?? null, email: row?.email ?? false };
  };

  app.get('/notifications/staff/me', { schema: { tags, summary: "The member's own notifications: linked Telegram, email, topics, daily agenda time" }, config: { roles: [...EVERYONE] } }, async (request) =>
    prefsOf(request.tenantId, request.auth!.userId));

  app.put<{ Body: Static<typeof PrefsBody> }>('/notifications/staff/me', { schema: { tags, summary: 'Chooses the topics, the daily agenda time and whether email gets them too', body: PrefsBody }, config: { roles: [...EVERYONE] } }, async (request) => {
    const { tenantId } = request;
    const { userId } = request.auth!;
    const { topics, agendaTime, email } = request.body;
    await ctx.transaction(async (trx) => {
      const set = { ...(topics ? { topics } : {}), ...(agendaTime !== undefined ? { agenda_time: agendaTime } : {}), ...(email !== undefined ? { email } : {}) };
      await trx.insertInto('notifications_staff').values({ tenant_id: tenantId, user_id: userId, ...set }).onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet(Object.keys(set).length ? set : { user_id: userId })).execute();
      if (agendaTime !== undefined) await scheduleAgenda(ctx, trx, tenantId, userId, agendaTime);
    });
    return prefsOf(tenantId, userId);
  });
}
