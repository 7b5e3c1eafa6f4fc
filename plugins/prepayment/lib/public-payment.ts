import type { Contribution, PluginContext } from '../../../plugin-sdk.js';
import { createLink } from './gateways.js';
import { askForPrepayment } from './holds.js';
import type { PaymentRow } from './payments.js';

const openPayment = (ctx: PluginContext, tenantId: string, bookingId: string) =>
  ctx.db.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId)
    .where('purpose', '=', 'prepayment').where('status', '=', 'pending').executeTakeFirst() as Promise<PaymentRow | undefined>;

/**
 * booking.publicPayment: how the client of a held widget or Mini App booking pays, for the public answer — the
 * payment asked for it (asked here when booking.created has not been handled yet: whichever comes first writes
 * it) and its page, a Telegram invoice link or the card gateway's. Null when nothing is asked in money.
 */
export const publicPayment: Contribution<'booking.publicPayment'> = async ({ bookingId }, ctx, { tenantId }) => {
  let p = await openPayment(ctx, tenantId, bookingId);
  if (!p) {
    await ctx.transaction((trx) => askForPrepayment(ctx, trx, tenantId, bookingId));
    p = await openPayment(ctx, tenantId, bookingId);
  }
  if (!p) return null;
  const confirmation = await createLink(ctx, tenantId, p.id);
  if (!confirmation || confirmation.kind === 'invoice') return null;
  return {
    provider: p.provider, ...(confirmation.kind === 'redirect' ? { url: confirmation.url } : { token: confirmation.token }),
    amount: { amount: Number(p.amount), currency: p.currency }, expiresAt: p.expires_at ? new Date(p.expires_at).toISOString() : null,
  };
};
