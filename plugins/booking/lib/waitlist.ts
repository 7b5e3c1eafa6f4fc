import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { collectBusy, loadSlotContext } from './availability.js';
import { bookingConfig, type BookingConfig } from './config.js';
import { createBookingIn, setStatusIn, type Actor } from './bookings.js';
import { computeSlots, localDate } from '../slots/engine.js';
import { verifiedPhone, type BookingView } from './booking-view.js';
import { clientFor, type ClientInput } from './clients.js';

export interface FreedSlot {
  serviceId: string;
  resourceIds: string[];
  start: string;
  end: string;
}

const SYSTEM: Actor = { kind: 'system', id: null };

export const waitlistView = (r: Record<string, any>) => ({
  id: r.id, clientId: r.client_id, serviceId: r.service_id, resourceId: r.resource_id, day: r.day, status: r.status, comment: r.comment, verified: r.contact_verified,
  offer: r.offer_start ? { start: new Date(r.offer_start).toISOString(), resourceIds: r.offer_resource_ids, expiresAt: new Date(r.offer_expires_at).toISOString(), bookingId: r.booking_id } : null,
  createdAt: r.created_at,
});

export interface NewWaitlistEntry {
  serviceId: string;
  resourceId?: string;
  day?: string;
  comment?: string;
  client: ClientInput | { id: string };
  /** 'phone:+7…' / 'email:…' (verification.contactKey); default: the client's phone, else the client */
  contact?: string;
  /** a proven contact (a code, a chat identity, or staff who know the client): only these are offered holds */
  verified: boolean;
}

const UNIQUE_VIOLATION = '23505';
const CONTACT_INDEX = 'booking_waitlist_contact_key';

/**
 * One open entry per contact, service and day (BF_ERR_BOOKING_WAITLIST_DUPLICATE). An unverified entry gives way to a
 * verified one of the same contact: otherwise typing someone's phone first would keep them off the waitlist.
 */
export async function addToWaitlist(ctx: PluginContext, tenantId: string, e: NewWaitlistEntry, actorId: string | null): Promise<Record<string, any>> {
  try {
    return await ctx.transaction(async (trx) => {
      const service = await trx.selectFrom('booking_services').select('id').where('tenant_id', '=', tenantId).where('id', '=', e.serviceId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!service) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id: e.serviceId });
      const client = await clientFor(ctx, trx, tenantId, e.client);
      const phone = verifiedPhone(client);
      const contact = e.contact ?? (phone ? `phone:${phone}` : `client:${client.id}`);
      const open = await trx.selectFrom('booking_waitlist').selectAll().where('tenant_id', '=', tenantId).where('contact', '=', contact).where('service_id', '=', e.serviceId)
        .where((eb) => (e.day ? eb('day', '=', e.day) : eb('day', 'is', null))).where('status', 'in', ['waiting', 'offered']).forUpdate().executeTakeFirst();
      if (open && (open.contact_verified || open.status === 'offered' || !e.verified)) throw ctx.error('BF_ERR_BOOKING_WAITLIST_DUPLICATE');
      if (open) {
        const replaced = await trx.updateTable('booking_waitlist').set({ status: 'cancelled' }).where('tenant_id', '=', tenantId).where('id', '=', open.id).returningAll().executeTakeFirstOrThrow();
        await ctx.audit(trx, { tenantId, actorId, entity: 'booking_waitlist', entityId: open.id, action: 'cancel', before: open, after: replaced });
      }
      const created = await trx.insertInto('booking_waitlist').values({
        tenant_id: tenantId, client_id: client.id, service_id: e.serviceId, resource_id: e.resourceId ?? null, day: e.day ?? null, comment: e.comment ?? '', contact, contact_verified: e.verified,
      }).returningAll().executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId, actorId, entity: 'booking_waitlist', entityId: created.id, action: 'create', after: created });
      return created;
    });
  } catch (err) {
    // A concurrent request of the same contact won.
    const pg = err as { code?: string; constraint?: string };
    if (pg.code === UNIQUE_VIOLATION && pg.constraint === CONTACT_INDEX) throw ctx.error('BF_ERR_BOOKING_WAITLIST_DUPLICATE', {}, err);
    throw err;
  }
}

/**
 * Offers freed time to the waitlist, oldest verified entry first (an unproven contact never holds time): the first waiter whose wish
 * (service, specialist, day) fits a slot in the freed time gets it held until the claim deadline.
 * An expired offer frees the time again, and the next waiter in turn gets it.
 */
export async function offerFreedTime(ctx: PluginContext, trx: Tx, tenantId: string, freed: FreedSlot): Promise<void> {
  const cfg = await bookingConfig(ctx, tenantId);
  const { timezone: tz } = await ctx.business(tenantId, trx);
  const from = Date.parse(freed.start);
  const to = Date.parse(freed.end);
  // Asked before any row is locked; the delivery's transaction is already open, so a slow provider holds it up to its timeout.
  const { busy: external } = await collectBusy(ctx, tenantId, freed.serviceId, from, to, trx);
  const servedByFreed = trx.selectFrom('booking_competencies').select('service_id').where('tenant_id', '=', tenantId).where('resource_id', 'in', freed.resourceIds)
    .union(trx.selectFrom('booking_service_resources').select('service_id').where('tenant_id', '=', tenantId).where('resource_id', 'in', freed.resourceIds));
  const waiting = await trx.selectFrom('booking_waitlist').selectAll().where('tenant_id', '=', tenantId).where('status', '=', 'waiting').where('contact_verified', '=', true)
    .where((eb) => eb.or([eb('service_id', '=', freed.serviceId), eb('service_id', 'in', servedByFreed)]))
    .where((eb) => eb.or([eb('resource_id', 'is', null), eb('resource_id', 'in', freed.resourceIds)]))
    .where((eb) => eb.or([eb('day', 'is', null), eb(sql`day::text`, '=', localDate(from, tz))]))
    .orderBy('created_at').orderBy('id').forUpdate().execute();
  for (const w of waiting) {
    const offered = new Set((w.offered_starts as Date[]).map((d) => new Date(d).getTime()));
    const sc = await loadSlotContext(ctx, trx, { tenantId, serviceId: w.service_id, from, to, resourceIds: w.resource_id ? [w.resource_id] : undefined, external }, cfg);
    const slots = computeSlots(sc.input);
    const slot = slots.find((s) => !offered.has(s.start) && s.resourceIds.some((id) => freed.resourceIds.includes(id)));
    if (!slot) continue;
    await sql`SAVEPOINT waitlist_offer`.execute(trx);
    let held: BookingView;
    try {
      held = await createBookingIn(ctx, trx, {
        tenantId, serviceId: w.service_id, start: new Date(slot.start), resourceIds: slot.resourceIds, client: { id: w.client_id }, source: 'api', origin: { source: 'waitlist' },
        hold: true, holdMinutes: cfg.waitlistClaimMinutes, comment: w.comment, actor: SYSTEM,
      }, cfg, { external });
    } catch (e) {
      // Taken meanwhile: the next freed time will come with its own event.
      await sql`ROLLBACK TO SAVEPOINT waitlist_offer`.execute(trx);
      ctx.log.info({ err: e, waitlistId: w.id }, 'freed time could not be offered');
      continue;
    }
    await trx.updateTable('booking_waitlist').set({
      status: 'offered', offer_start: new Date(slot.start), offer_resource_ids: slot.resourceIds, offer_expires_at: new Date(held.holdExpiresAt!), booking_id: held.id,
      offered_starts: sql`array_append(offered_starts, ${new Date(slot.start)}::timestamptz)`,
    }).where('tenant_id', '=', tenantId).where('id', '=', w.id).execute();
    await ctx.events.emit(trx, tenantId, 'booking.waitlist-offered', { waitlistId: w.id, clientId: w.client_id, serviceId: w.service_id, bookingId: held.id, start: held.start, resourceIds: held.resourceIds, expiresAt: held.holdExpiresAt });
    return;
  }
}

/** A held offer that ran out puts its waiter back in the queue. */
export async function returnToQueue(trx: Tx, tenantId: string, bookingIds: string[]): Promise<void> {
  if (!bookingIds.length) return;
  await trx.updateTable('booking_waitlist').set({ status: 'waiting', offer_start: null, offer_resource_ids: null, offer_expires_at: null, booking_id: null })
    .where('tenant_id', '=', tenantId).where('booking_id', 'in', bookingIds).where('status', '=', 'offered').execute();
}

/** The waiter takes the offered time: the hold becomes a booking. */
export async function claimOffer(ctx: PluginContext, trx: Tx, tenantId: string, waitlistId: string, actor: Actor, cfg: BookingConfig): Promise<BookingView> {
  const w = await trx.selectFrom('booking_waitlist').selectAll().where('tenant_id', '=', tenantId).where('id', '=', waitlistId).forUpdate().executeTakeFirst();
  if (!w) throw ctx.error('BF_ERR_BOOKING_WAITLIST_NOT_FOUND', { id: waitlistId });
  const booking = w.booking_id ? await trx.selectFrom('booking_bookings').select(['status', 'hold_expires_at']).where('tenant_id', '=', tenantId).where('id', '=', w.booking_id).executeTakeFirst() : undefined;
  if (w.status !== 'offered' || !booking || booking.status !== 'held' || new Date(booking.hold_expires_at) <= ctx.now()) throw ctx.error('BF_ERR_BOOKING_OFFER_EXPIRED');
  const view = await setStatusIn(ctx, trx, tenantId, w.booking_id, cfg.autoConfirm ? 'confirmed' : 'pending', actor);
  await trx.updateTable('booking_waitlist').set({ status: 'booked' }).where('tenant_id', '=', tenantId).where('id', '=', waitlistId).execute();
  return view;
}

