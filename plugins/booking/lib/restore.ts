import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { expireRunOutHolds, lockBooking, record, type Actor } from './bookings.js';
import type { BookingStatus, BookingView } from './booking-view.js';
import { bookingConfig } from './config.js';

/** Where an undo comes from: the booking's card, within `cancelUndoMinutes` of the cancel, or the trash, any time before the start (staff only). */
export type RestoreFrom = 'undo' | 'trash';

/**
 * Takes a cancellation back: the booking returns to the status it had, its time is occupied again through the
 * exclusion constraint (a time taken meanwhile is refused as BF_ERR_SLOT_TAKEN by inTransaction), its seats too.
 */
export async function restoreIn(ctx: PluginContext, trx: Tx, tenantId: string, id: string, actor: Actor, from: RestoreFrom): Promise<BookingView> {
  const before = await lockBooking(ctx, trx, tenantId, id);
  const cancel = await trx.selectFrom('booking_history').select(['before', 'after']).where('tenant_id', '=', tenantId).where('booking_id', '=', id)
    .where('action', '=', 'cancelled').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const was = (cancel?.before as { status?: BookingStatus } | null)?.status;
  if (before.status !== 'cancelled' || !cancel || !was) throw ctx.error('BF_ERR_BOOKING_BAD_TRANSITION', { from: before.status, to: was ?? 'confirmed' });
  const now = ctx.now();
  // The cancel's time on the app's clock (the row's `at` is the database's).
  const cancelledAt = new Date((cancel.after as { updatedAt: string }).updatedAt).getTime();
  if (new Date(before.start) <= now) throw ctx.error('BF_ERR_BOOKING_FINISHED', { id, status: before.status });
  const cfg = await bookingConfig(ctx, tenantId, trx);
  if (from === 'undo' && now.getTime() - cancelledAt > cfg.cancelUndoMinutes * 60_000) throw ctx.error('BF_ERR_BOOKING_UNDO_EXPIRED', { minutes: cfg.cancelUndoMinutes });
  // A hold's payment window is gone: it comes back as a booking the business made.
  const status: BookingStatus = was === 'held' ? (cfg.autoConfirm ? 'confirmed' : 'pending') : was;
  const busy = await trx.selectFrom('booking_booking_resources').select(['resource_id', sql<Date>`lower(busy)`.as('from'), sql<Date>`upper(busy)`.as('to')])
    .where('tenant_id', '=', tenantId).where('booking_id', '=', id).execute();
  if (busy.length) await expireRunOutHolds(ctx, trx, tenantId, { resourceIds: busy.map((b) => b.resource_id), from: busy[0].from, to: busy[0].to });
  if (before.sessionId) {
    const took = await trx.updateTable('booking_sessions').set((eb) => ({ seats_taken: eb('seats_taken', '+', before.seats) }))
      .where('tenant_id', '=', tenantId).where('id', '=', before.sessionId).where(sql<boolean>`seats_taken + ${before.seats} <= capacity`).executeTakeFirst();
    if (!took.numUpdatedRows) throw ctx.error('BF_ERR_BOOKING_GROUP_FULL', { start: before.start });
  }
  await trx.updateTable('booking_booking_resources').set({ active: true }).where('tenant_id', '=', tenantId).where('booking_id', '=', id).execute();
  await trx.updateTable('booking_bookings').set({ status, cancel_reason: null, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  const after = (await lockBooking(ctx, trx, tenantId, id));
  await record(ctx, trx, tenantId, actor, 'restored', before, after, [
    ['booking.restored', { clientId: after.client.id, serviceId: after.serviceId, start: after.start, end: after.end, resourceIds: after.resourceIds, status, from, by: actor.kind }],
    ['booking.status-changed', { from: 'cancelled', to: status, clientId: after.client.id, serviceId: after.serviceId, start: after.start }],
  ]);
  return after;
}
