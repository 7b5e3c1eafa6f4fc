import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { setStatusIn } from './bookings.js';
import type { BookingView } from './booking-view.js';
import { clientCutoff } from './client-cutoff.js';

/**
 * The booking's own client cancels it (a reminder's "Cancel"), under the business's cut-off: past it
 * BF_ERR_BOOKING_TOO_LATE and nothing changes. Penalties and refunds follow `booking.cancelled` with `by: client`.
 */
export async function cancelByClientIn(ctx: PluginContext, trx: Tx, tenantId: string, id: string, clientId: string, reason: string): Promise<BookingView> {
  const row = await trx.selectFrom('booking_bookings').select(['status', 'client_id', 'start_at']).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  // Another client's booking looks like a missing one.
  if (!row || row.client_id !== clientId) throw ctx.error('BF_ERR_BOOKING_NOT_FOUND', { id });
  if (!['pending', 'confirmed'].includes(row.status)) throw ctx.error('BF_ERR_BOOKING_FINISHED', { id, status: row.status });
  const cutoff = await clientCutoff(ctx, tenantId, row.start_at, trx);
  if (cutoff.tooLate) throw ctx.error('BF_ERR_BOOKING_TOO_LATE', { id, noticeMinutes: cutoff.noticeMinutes });
  return setStatusIn(ctx, trx, tenantId, id, 'cancelled', { kind: 'client', id: clientId }, reason);
}
