import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import type { ExternalBusy } from '../contract.js';
import { collectBusy, loadSlotContext } from './availability.js';
import { bookingConfig, type BookingConfig } from './config.js';
import { setStatusIn, type Actor } from './bookings.js';
import { holdFor, tryOffer } from './waitlist-hold.js';
import { offerToCandidates } from './freed-candidates.js';
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

/** A `date` column as pg hands it (local midnight of this process) back to its yyyy-mm-dd, whatever the process's zone. */
const isoDay = (d: Date | string | null) => (d instanceof Date ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}` : d);

export const waitlistView = (r: Record<string, any>) => ({
  id: r.id, clientId: r.client_id, serviceId: r.service_id, resourceId: r.resource_id, day: isoDay(r.day), status: r.status, comment: r.comment, verified: r.contact_verified,
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
 * Offers freed time: first to the clients other plugins propose (freed-candidates.ts), then to the waitlist, oldest
 * verified entry first (an unproven contact never holds time): the first waiter whose wish (service, specialist, day)
 * fits a slot in the freed time gets it held until the claim deadline. An expired offer frees the time again, and the
 * next in turn gets it.
 */
export async function offerFreedTime(ctx: PluginContext, trx: Tx, tenantId: string, freed: FreedSlot): Promise<void> {
  const cfg = await bookingConfig(ctx, tenantId);
  const { timezone: tz } = await ctx.business(tenantId, trx);
  const from = Date.parse(freed.start);
  const to = Date.parse(freed.end);
  // Asked before any row is locked; the delivery's transaction is already open, so a slow provider holds it up to its timeout.
  const { busy: external } = await collectBusy(ctx, tenantId, freed.serviceId, from, to, trx);
  if (await offerToCandidates(ctx, trx, tenantId, freed, cfg, external)) return;
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
    const slot = computeSlots(sc.input).find((s) => !offered.has(s.start) && s.resourceIds.some((id) => freed.resourceIds.includes(id)));
    // Taken meanwhile: the next freed time will come with its own event.
    if (slot && await tryOffer(ctx, trx, w.id, () => holdFor(ctx, trx, tenantId, w, { start: new Date(slot.start), resourceIds: slot.resourceIds }, cfg, SYSTEM, external))) return;
  }
}

/**
 * The desk offers a waiter a time it chose (a free one of the entry's service): held and sent as the automatic offer
 * is. BF_ERR_BOOKING_WAITLIST_NOT_WAITING unless the entry waits; a time not free is BF_ERR_SLOT_TAKEN or _SLOT_UNAVAILABLE.
 */
export async function offerTimeTo(ctx: PluginContext, trx: Tx, tenantId: string, waitlistId: string, at: { start: Date; resourceIds?: string[] }, actor: Actor, cfg: BookingConfig, external: ExternalBusy[]): Promise<Record<string, any>> {
  const w = await trx.selectFrom('booking_waitlist').selectAll().where('tenant_id', '=', tenantId).where('id', '=', waitlistId).forUpdate().executeTakeFirst();
  if (!w) throw ctx.error('BF_ERR_BOOKING_WAITLIST_NOT_FOUND', { id: waitlistId });
  if (w.status !== 'waiting') throw ctx.error('BF_ERR_BOOKING_WAITLIST_NOT_WAITING', { id: waitlistId, status: w.status });
  // The waiter's specialist, unless the desk chose the resources.
  await holdFor(ctx, trx, tenantId, w, { start: at.start, resourceIds: at.resourceIds ?? (w.resource_id ? [w.resource_id] : undefined) }, cfg, actor, external);
  const after = await trx.selectFrom('booking_waitlist').selectAll().where('tenant_id', '=', tenantId).where('id', '=', waitlistId).executeTakeFirstOrThrow();
  await ctx.audit(trx, { tenantId, actorId: actor.kind === 'user' ? actor.id : null, entity: 'booking_waitlist', entityId: waitlistId, action: 'offer', before: w, after });
  return after;
}

/** A held offer that ran out puts its waiter back in the queue; a proposed client's entry (no place in the queue) closes. */
export async function returnToQueue(trx: Tx, tenantId: string, bookingIds: string[]): Promise<void> {
  if (!bookingIds.length) return;
  await trx.updateTable('booking_waitlist').set({ status: sql`CASE WHEN proposed_by IS NULL THEN 'waiting' ELSE 'cancelled' END`, offer_start: null, offer_resource_ids: null, offer_expires_at: null, booking_id: null })
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
  if (w.replaces_booking_id) await releaseReplaced(ctx, trx, tenantId, w.replaces_booking_id, view, actor);
  return view;
}


/** A proposed client took the earlier time: their later booking of the service goes, its time freed for the next. */
async function releaseReplaced(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string, earlier: BookingView, actor: Actor): Promise<void> {
  const later = await trx.selectFrom('booking_bookings').select('status').where('tenant_id', '=', tenantId).where('id', '=', bookingId).forUpdate().executeTakeFirst();
  if (!later || !['pending', 'confirmed'].includes(later.status)) return;
  const business = await ctx.business(tenantId, trx);
  const when = DateTime.fromISO(earlier.start, { zone: business.timezone }).toFormat('dd.MM HH:mm');
  await setStatusIn(ctx, trx, tenantId, bookingId, 'cancelled', actor, ctx.t(business.locale, 'movedEarlier', { when }));
}
