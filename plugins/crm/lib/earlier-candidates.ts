import { DateTime } from 'luxon';
import type { FreedTimeCandidate, FreedTimeQuery } from '../../booking/contract.js';
import type { PluginContext } from '../../../plugin-sdk.js';

/** How many yellow clients one freed time is proposed to at most, and how far ahead their later booking is looked for. */
const MAX_CANDIDATES = 20;
const LOOK_AHEAD_DAYS = 366;

/**
 * Booking's `booking.freedTimeCandidates`: the "yellow" clients (colour `earlier`) whose "earlier than" date is after
 * the freed time and who hold a later open booking of that service, soonest wished date first; a locked card only when
 * the freed time is their fixed specialist's. Booking offers them the time before its waitlist.
 */
export async function earlierCandidates(query: FreedTimeQuery, ctx: PluginContext, tenantId: string): Promise<FreedTimeCandidate[]> {
  const { timezone } = await ctx.business(tenantId);
  const freedDay = DateTime.fromISO(query.start, { zone: timezone }).toISODate()!;
  const yellow = await ctx.db.selectFrom('crm_cards').select(['contact_id', 'locked', 'fixed_resource_id']).where('tenant_id', '=', tenantId)
    .where('color', '=', 'earlier').where('earlier_than', '>', freedDay).orderBy('earlier_than').orderBy('contact_id').limit(MAX_CANDIDATES).execute();
  const fits = yellow.filter((c) => !c.locked || !c.fixed_resource_id || query.resourceIds.includes(c.fixed_resource_id));
  const from = new Date(query.start);
  const to = new Date(from.getTime() + LOOK_AHEAD_DAYS * 86_400_000);
  const booking = ctx.service('booking');
  const later = await Promise.all(fits.map(async (c) => (await booking.clientBookings(tenantId, c.contact_id, { from, to }))
    .find((b) => b.serviceId === query.serviceId && (b.status === 'pending' || b.status === 'confirmed') && Date.parse(b.start) > from.getTime())));
  return fits.flatMap((c, i) => (later[i] ? [{ clientId: c.contact_id, bookingId: later[i]!.id }] : []));
}
