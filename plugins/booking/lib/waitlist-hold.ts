import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import type { ExternalBusy } from '../contract.js';
import type { BookingConfig } from './config.js';
import { createBookingIn, type Actor } from './bookings.js';
import type { BookingView } from './booking-view.js';

/**
 * Holds a time for a waiter until the claim deadline and tells them (`booking.waitlist-offered`, which sends the
 * offer message): the same for freed time offered by itself, to another plugin's candidate, and by the desk.
 */
export async function holdFor(ctx: PluginContext, trx: Tx, tenantId: string, w: Record<string, any>, at: { start: Date; resourceIds?: string[] }, cfg: BookingConfig, actor: Actor, external: ExternalBusy[]): Promise<BookingView> {
  const held = await createBookingIn(ctx, trx, {
    tenantId, serviceId: w.service_id, start: at.start, resourceIds: at.resourceIds, client: { id: w.client_id }, source: 'api', origin: { source: 'waitlist' },
    hold: true, holdMinutes: cfg.waitlistClaimMinutes, comment: w.comment, actor,
  }, cfg, { external });
  await trx.updateTable('booking_waitlist').set({
    status: 'offered', offer_start: new Date(held.start), offer_resource_ids: held.resourceIds, offer_expires_at: new Date(held.holdExpiresAt!), booking_id: held.id,
    offered_starts: sql`array_append(offered_starts, ${new Date(held.start)}::timestamptz)`,
  }).where('tenant_id', '=', tenantId).where('id', '=', w.id).execute();
  await ctx.events.emit(trx, tenantId, 'booking.waitlist-offered', { waitlistId: w.id, clientId: w.client_id, serviceId: w.service_id, bookingId: held.id, start: held.start, resourceIds: held.resourceIds, expiresAt: held.holdExpiresAt });
  return held;
}

/** `fn` in a savepoint: a time taken meanwhile undoes only this offer, and the caller tries the next waiter. */
export async function tryOffer<T>(ctx: PluginContext, trx: Tx, waitlistId: string | null, fn: () => Promise<T>): Promise<T | undefined> {
  await sql`SAVEPOINT waitlist_offer`.execute(trx);
  try {
    const done = await fn();
    await sql`RELEASE SAVEPOINT waitlist_offer`.execute(trx);
    return done;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT waitlist_offer`.execute(trx);
    ctx.log.info({ err: e, waitlistId }, 'freed time could not be offered');
    return undefined;
  }
}
