import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { setStatusIn, writeHistory, type Actor } from './bookings.js';
import { loadBooking, type BookingView } from './booking-view.js';

/** The booking's own client confirms they will come: stamped once, history written, a pending booking confirmed. */
export async function confirmByClientIn(ctx: PluginContext, trx: Tx, tenantId: string, id: string, clientId: string): Promise<BookingView> {
  const row = await trx.selectFrom('booking_bookings').select(['status', 'client_id', 'client_confirmed_at']).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  // Another client's booking looks like a missing one.
  if (!row || row.client_id !== clientId) throw ctx.error('BF_ERR_BOOKING_NOT_FOUND', { id });
  if (!['pending', 'confirmed'].includes(row.status)) throw ctx.error('BF_ERR_BOOKING_FINISHED', { id, status: row.status });
  const actor: Actor = { kind: 'client', id: clientId };
  if (!row.client_confirmed_at) {
    await trx.updateTable('booking_bookings').set({ client_confirmed_at: ctx.now() }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    await writeHistory(trx, tenantId, id, actor, 'client-confirmed', { clientConfirmedAt: null }, { clientConfirmedAt: ctx.now().toISOString() });
  }
  return row.status === 'pending' ? setStatusIn(ctx, trx, tenantId, id, 'confirmed', actor) : (await loadBooking(ctx, trx, tenantId, id))!;
}
