import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import type { ExternalBusy, FreedTimeCandidate } from '../contract.js';
import { loadSlotContext } from './availability.js';
import type { BookingConfig } from './config.js';
import type { Actor } from './bookings.js';
import { computeSlots, localDate } from '../slots/engine.js';
import { holdFor, tryOffer } from './waitlist-hold.js';
import type { FreedSlot } from './waitlist.js';

const SYSTEM: Actor = { kind: 'system', id: null };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isCandidate = (c: unknown): c is FreedTimeCandidate =>
  typeof c === 'object' && c !== null && UUID.test(String((c as FreedTimeCandidate).clientId)) && UUID.test(String((c as FreedTimeCandidate).bookingId));

/**
 * Offers freed time to the clients other plugins propose (`booking.freedTimeCandidates`: CRM's clients who want it
 * earlier), in the order they came, before the waitlist. A candidate counts only with an open booking of that service of
 * their own later than the freed time, and no proposed offer pending. Answers whether one of them got it.
 */
export async function offerToCandidates(ctx: PluginContext, trx: Tx, tenantId: string, freed: FreedSlot, cfg: BookingConfig, external: ExternalBusy[]): Promise<boolean> {
  if (!(await ctx.extensions.contributors(tenantId, 'booking.freedTimeCandidates')).length) return false;
  const { results } = await ctx.extensions.collect(tenantId, 'booking.freedTimeCandidates', { serviceId: freed.serviceId, resourceIds: freed.resourceIds, start: freed.start, end: freed.end });
  const proposed = results.flatMap((r) => (Array.isArray(r.value) ? r.value.filter(isCandidate).map((c) => ({ ...c, plugin: r.plugin })) : []));
  if (!proposed.length) return false;
  const later = await trx.selectFrom('booking_bookings').select(['id', 'client_id']).where('tenant_id', '=', tenantId).where('id', 'in', proposed.map((c) => c.bookingId))
    .where('service_id', '=', freed.serviceId).where('status', 'in', ['pending', 'confirmed']).where('start_at', '>', new Date(freed.start)).execute();
  const booked = proposed.filter((c) => later.some((b) => b.id === c.bookingId && b.client_id === c.clientId));
  if (!booked.length) return false;
  const from = Date.parse(freed.start);
  const sc = await loadSlotContext(ctx, trx, { tenantId, serviceId: freed.serviceId, from, to: Date.parse(freed.end), external }, cfg);
  const slot = computeSlots(sc.input).find((s) => s.resourceIds.some((id) => freed.resourceIds.includes(id)));
  if (!slot) return false;
  // One proposed offer at a time per client, and a time they let run out is not offered to them again.
  const skip = await trx.selectFrom('booking_waitlist').select('client_id').where('tenant_id', '=', tenantId).where('proposed_by', 'is not', null)
    .where('client_id', 'in', booked.map((c) => c.clientId))
    .where((eb) => eb.or([eb('status', '=', 'offered'), eb(sql<Date>`${new Date(slot.start)}::timestamptz`, '=', sql<Date>`ANY(offered_starts)`)])).execute();
  const eligible = booked.filter((c) => !skip.some((p) => p.client_id === c.clientId));
  const { timezone } = await ctx.business(tenantId, trx);
  for (const c of eligible) {
    const held = await tryOffer(ctx, trx, null, async () => {
      // An entry of its own (not a place in the queue): the offer reaches the client and is claimed like any other.
      const entry = await trx.insertInto('booking_waitlist').values({
        tenant_id: tenantId, client_id: c.clientId, service_id: freed.serviceId, day: localDate(slot.start, timezone), comment: '',
        contact: `candidate:${c.clientId}`, contact_verified: true, proposed_by: c.plugin, replaces_booking_id: c.bookingId,
      }).returningAll().executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId, actorId: null, entity: 'booking_waitlist', entityId: entry.id, action: 'propose', after: entry });
      return holdFor(ctx, trx, tenantId, entry, { start: new Date(slot.start), resourceIds: slot.resourceIds }, cfg, SYSTEM, external);
    });
    if (held) return true;
  }
  return false;
}
