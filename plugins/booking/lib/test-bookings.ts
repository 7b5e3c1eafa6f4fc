import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { setStatusIn } from './bookings.js';
import { OPEN_STATUSES } from './booking-view.js';

/** A closed test chat takes its bookings along: their time is free again at once, not when the hold runs out. */
export async function cancelTestBookings(ctx: PluginContext, trx: Tx, tenantId: string, chat: string): Promise<void> {
  const rows = await trx.selectFrom('booking_bookings').select('id').where('tenant_id', '=', tenantId).where('test_chat', '=', chat)
    .where('status', 'in', OPEN_STATUSES).orderBy('id').execute();
  for (const { id } of rows) await setStatusIn(ctx, trx, tenantId, id, 'cancelled', { kind: 'system', id: null }, 'test chat closed');
}
