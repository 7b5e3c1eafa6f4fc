import type { Db, PluginContext, Tx } from '../../../plugin-sdk.js';
import { bookingConfig } from './config.js';

/**
 * The business's rule for a client changing a booking themselves (cancel, move): up to `clientCancelNoticeMinutes`
 * before its start; closer than that only staff may. The one place the rule lives: the chat's "My bookings" and the
 * service's `cancelByClient` both ask it.
 */
export async function clientCutoff(ctx: PluginContext, tenantId: string, start: string | Date, q?: Db | Tx): Promise<{ tooLate: boolean; noticeMinutes: number }> {
  const { clientCancelNoticeMinutes } = await bookingConfig(ctx, tenantId, q);
  return { tooLate: new Date(start).getTime() - ctx.now().getTime() < clientCancelNoticeMinutes * 60_000, noticeMinutes: clientCancelNoticeMinutes };
}
