import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { findSlots, MISSING_BUSY_HEADER } from '../lib/availability.js';
import { bookingConfig } from '../lib/config.js';
import { parseRange } from '../lib/range.js';
import { createBookingOnce, inTransaction } from '../lib/bookings.js';
import { addToWaitlist, claimOffer, waitlistView } from '../lib/waitlist.js';
import { verifiedPhone, type BookingView } from '../lib/booking-view.js';
import { normalizePhone } from '../lib/clients.js';
import { fromMoney } from '../lib/money.js';
import { contactKey, provenContact, type Contact } from '../lib/verification.js';
import { fingerprint, IdempotencyHeaders } from '../lib/idempotency.js';
import { ClientBody, DateTimeString, Uuid, VerificationToken } from './schemas.js';

const Tenant = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }) });
const TenantAndId = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }), id: Uuid });
const SlotsQuery = Type.Object({ serviceId: Uuid, from: Type.Optional(DateTimeString), to: Type.Optional(DateTimeString), resourceId: Type.Optional(Uuid) }, { additionalProperties: false });
const BookBody = Type.Object({
  serviceId: Uuid,
  start: DateTimeString,
  resourceIds: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true })),
  client: ClientBody,
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
  verificationToken: Type.Optional(VerificationToken),
}, { additionalProperties: false });
const WaitBody = Type.Object({
  serviceId: Uuid,
  resourceId: Type.Optional(Uuid),
  day: Type.Optional(Type.String({ format: 'date' })),
  client: ClientBody,
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
  // Without it the entry waits unverified: staff see it, it is never offered a hold.
  verificationToken: Type.Optional(VerificationToken),
}, { additionalProperties: false });
const ClaimBody = Type.Union([
  Type.Object({ phone: Type.String({ minLength: 5, maxLength: 32 }) }, { additionalProperties: false }),
  Type.Object({ verificationToken: VerificationToken }, { additionalProperties: false }),
]);

export const SlotSchema = Type.Object({
  start: DateTimeString, end: DateTimeString, resourceIds: Type.Array(Uuid), kind: Type.String(), price: Type.Number(), seatsLeft: Type.Optional(Type.Number()),
});

/** What an anonymous caller learns of the booking it made: never the client record a phone matched. */
/** How a held booking is paid (`booking.publicPayment`), the amount in major units like `price`. */
const PublicPaymentAnswer = Type.Object({
  provider: Type.String(), url: Type.Optional(Type.String()), token: Type.Optional(Type.String()), amount: Type.Number(), currency: Type.String(), expiresAt: Type.Union([DateTimeString, Type.Null()]),
}, { additionalProperties: false });
const PublicBooking = Type.Object({
  id: Uuid, start: DateTimeString, end: DateTimeString, status: Type.String(), serviceId: Uuid, resourceIds: Type.Array(Uuid), kind: Type.String(), price: Type.Number(),
  payment: Type.Optional(PublicPaymentAnswer),
}, { additionalProperties: false });
const publicBookingView = (b: BookingView): Static<typeof PublicBooking> => ({ id: b.id, start: b.start, end: b.end, status: b.status, serviceId: b.serviceId, resourceIds: b.resourceIds, kind: b.kind, price: b.price });

export const slotView = (s: { start: number; end: number; resourceIds: string[]; kind: string; price: number; seatsLeft?: number }) => ({
  start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), resourceIds: s.resourceIds, kind: s.kind, price: s.price, ...(s.seatsLeft !== undefined ? { seatsLeft: s.seatsLeft } : {}),
});

/** The route config of every public booking route: no sign-in, limited per business and address. */
export const publicConfig = (ctx: PluginContext) => ({
  roles: 'public' as const,
  rateLimit: {
    max: async (request: FastifyRequest) => (request.tenantId ? (await bookingConfig(ctx, request.tenantId)).publicRateLimitPerMinute : 60),
    timeWindow: '1 minute',
    keyGenerator: (request: FastifyRequest) => `booking|${request.tenantId}|${request.ip}`,
  },
});

/** How the client pays a held booking, from the first plugin that says (prepayment); a silent or failed one leaves it out. */
async function publicPayment(ctx: PluginContext, tenantId: string, bookingId: string): Promise<Static<typeof PublicPaymentAnswer> | undefined> {
  const { results } = await ctx.extensions.collect(tenantId, 'booking.publicPayment', { bookingId });
  const p = results.find((r) => r.value)?.value;
  if (!p) return undefined;
  return { provider: p.provider, ...(p.url ? { url: p.url } : {}), ...(p.token ? { token: p.token } : {}), amount: fromMoney(p.amount), currency: p.amount.currency, expiresAt: p.expiresAt };
}

/** The contact a token proves; a phone token proves only its own phone. */
async function proof(ctx: PluginContext, tenantId: string, token: string | undefined, phone: string): Promise<Contact | undefined> {
  if (!token) return undefined;
  const proven = await provenContact(ctx, tenantId, token);
  if (proven.channel === 'phone' && proven.contact !== phone) throw ctx.error('BF_ERR_BOOKING_VERIFICATION_MISMATCH');
  return proven;
}

/** For the site widget and integrators: no sign-in, the business by its slug, limited per address. */
export function publicRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['public booking'];
  const config = publicConfig(ctx);

  app.get<{ Params: Static<typeof Tenant> }>('/public/:tenant/services', { schema: { tags, summary: 'Bookable services with their departments and staff', params: Tenant }, config }, async (request) => {
    const { tenantId } = request;
    const [services, departments, staff] = await Promise.all([
      ctx.db.selectFrom('booking_services').select(['id', 'name', 'description', 'department_id', 'kind', 'duration_min', 'price', 'capacity', 'color'])
        .where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('active', '=', true).orderBy('sort').orderBy('name').execute(),
      ctx.db.selectFrom('booking_departments').select(['id', 'name']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).orderBy('sort').orderBy('name').execute(),
      ctx.db.selectFrom('booking_competencies as c').innerJoin('booking_resources as r', (j) => j.onRef('r.tenant_id', '=', 'c.tenant_id').onRef('r.id', '=', 'c.resource_id'))
        .select(['c.service_id', 'r.id', 'r.name', 'r.title']).where('c.tenant_id', '=', tenantId).where('r.deleted_at', 'is', null).where('r.active', '=', true).orderBy('r.sort').orderBy('r.name').execute(),
    ]);
    return {
      departments,
      items: services.map((s) => ({
        id: s.id, name: s.name, description: s.description, departmentId: s.department_id, kind: s.kind, durationMin: s.duration_min, price: Number(s.price), capacity: s.capacity, color: s.color,
        staff: staff.filter((x) => x.service_id === s.id).map((x) => ({ id: x.id, name: x.name, title: x.title })),
      })),
    };
  });

  app.get<{ Params: Static<typeof Tenant>; Querystring: Static<typeof SlotsQuery> }>('/public/:tenant/slots', {
    schema: { tags, summary: 'Free starts of a service (default: the next 14 days)', params: Tenant, querystring: SlotsQuery, response: { 200: Type.Array(SlotSchema) } }, config,
  }, async (request, reply) => {
    const { tenantId } = request;
    const q = request.query;
    const cfg = await bookingConfig(ctx, tenantId);
    const range = await parseRange(ctx, tenantId, q.from, q.to);
    const { slots, missing } = await findSlots(ctx, { tenantId, serviceId: q.serviceId, ...range, resourceIds: q.resourceId ? [q.resourceId] : undefined }, cfg);
    if (missing.length) reply.header(MISSING_BUSY_HEADER, missing.join(', '));
    return slots.map(slotView);
  });

  app.post<{ Params: Static<typeof Tenant>; Body: Static<typeof BookBody>; Headers: Static<typeof IdempotencyHeaders> }>('/public/:tenant/bookings', {
    schema: { tags, summary: 'Book a slot; 409 BF_ERR_SLOT_TAKEN when somebody was faster', params: Tenant, headers: IdempotencyHeaders, body: BookBody, response: { 201: PublicBooking } }, config,
  }, async (request, reply) => {
    const { tenantId } = request;
    const b = request.body;
    const cfg = await bookingConfig(ctx, tenantId);
    const phone = await normalizePhone(ctx, tenantId, b.client.phone);
    const proven = await proof(ctx, tenantId, b.verificationToken, phone);
    if (cfg.publicConfirmByCode && !proven) throw ctx.error('BF_ERR_BOOKING_VERIFICATION_REQUIRED');
    const start = new Date(b.start);
    const key = request.headers['idempotency-key'];
    const { view, replayed } = await createBookingOnce(ctx, {
      tenantId, serviceId: b.serviceId, start, resourceIds: b.resourceIds, comment: b.comment, source: 'widget', origin: { source: 'public' }, actor: { kind: 'client', id: null },
      client: { name: b.client.name, phone, anonymous: true, phoneVerified: proven?.channel === 'phone' },
      // Scoped by the phone: another caller's key never finds this booking.
      idempotencyKey: key && `public:${phone}:${key}`,
      idempotencyFingerprint: key && fingerprint({ serviceId: b.serviceId, start: start.toISOString(), resourceIds: b.resourceIds, name: b.client.name, phone, comment: b.comment }),
      publicLimits: { phone, maxUpcoming: cfg.publicMaxUpcomingPerPhone, maxPerHour: cfg.publicMaxBookingsPerHour },
    });
    if (replayed) reply.header('idempotent-replayed', 'true');
    const payment = view.status === 'held' ? await publicPayment(ctx, tenantId, view.id) : undefined;
    return reply.status(201).send({ ...publicBookingView(view), ...(payment ? { payment } : {}) });
  });

  app.post<{ Params: Static<typeof Tenant>; Body: Static<typeof WaitBody> }>('/public/:tenant/waitlist', {
    schema: { tags, summary: 'Wait for a service, a day or a specialist; freed time is offered in turn', params: Tenant, body: WaitBody }, config,
  }, async (request, reply) => {
    const { tenantId } = request;
    const b = request.body;
    const phone = await normalizePhone(ctx, tenantId, b.client.phone);
    const proven = await proof(ctx, tenantId, b.verificationToken, phone);
    const row = await addToWaitlist(ctx, tenantId, {
      serviceId: b.serviceId, resourceId: b.resourceId, day: b.day, comment: b.comment,
      client: { name: b.client.name, phone, anonymous: true, phoneVerified: proven?.channel === 'phone' },
      contact: proven ? contactKey(proven) : `phone:${phone}`, verified: Boolean(proven),
    }, null);
    return reply.status(201).send(waitlistView(row));
  });

  app.post<{ Params: Static<typeof TenantAndId>; Body: Static<typeof ClaimBody> }>('/public/:tenant/waitlist/:id/claim', {
    schema: { tags, summary: 'Take the time offered from the waitlist before its deadline', params: TenantAndId, body: ClaimBody }, config,
  }, async (request) => {
    const { tenantId } = request;
    const cfg = await bookingConfig(ctx, tenantId);
    const body = request.body;
    // A phone (the client record's, so a verified one) or a token proving the entry's contact.
    const phone = 'phone' in body ? await normalizePhone(ctx, tenantId, body.phone) : undefined;
    const contact = 'verificationToken' in body ? contactKey(await provenContact(ctx, tenantId, body.verificationToken)) : undefined;
    return inTransaction(ctx, undefined, async (trx) => {
      // It proves it is the waiter's own offer; a stranger sees the same answer as for a missing entry.
      const entry = await trx.selectFrom('booking_waitlist').select(['client_id', 'contact']).where('tenant_id', '=', tenantId).where('id', '=', request.params.id).executeTakeFirst();
      const owns = entry && (phone ? verifiedPhone(await ctx.contacts.get(trx, tenantId, entry.client_id) ?? undefined) === phone : entry.contact === contact);
      if (!owns) throw ctx.error('BF_ERR_BOOKING_WAITLIST_NOT_FOUND', { id: request.params.id });
      return claimOffer(ctx, trx, tenantId, request.params.id, { kind: 'client', id: null }, cfg);
    });
  });
}
