import type { ActionHandler, PluginContext, Tx } from '../../../plugin-sdk.js';
import { prepaymentConfig } from './config.js';
import { invoiceFor, loadPayment, type PaymentRow } from './payments.js';
import { formatMoney } from './money.js';
import { everyLanguage, perLanguage } from './text.js';

/** What loyalty's tenders (points, a certificate, the deposit) already pay of a booking; 0 without loyalty. */
export async function coveredByTenders(ctx: PluginContext, q: Tx, tenantId: string, bookingId: string): Promise<number> {
  const loyalty = await ctx.optionalService('loyalty', tenantId, q);
  if (!loyalty) return 0;
  return (await loyalty.tenders(tenantId, bookingId, q)).reduce((sum, t) => sum + t.amount, 0);
}

/** Points can pay part of a prepayment: offered beside the invoice when loyalty is on and the client has points. */
export async function offerPoints(ctx: PluginContext, trx: Tx, tenantId: string, p: PaymentRow): Promise<void> {
  const loyalty = await ctx.optionalService('loyalty', tenantId, trx);
  if (!loyalty) return;
  const account = await loyalty.account(tenantId, p.contact_id, trx);
  if (account.balance <= 0 || account.blockedUntil) return;
  await ctx.messages.send(trx, {
    tenantId, to: { contactId: p.contact_id }, purpose: 'transactional', idempotencyKey: `prepayment-points:${p.id}`,
    message: {
      text: everyLanguage(ctx, 'pointsOffer', { points: account.balance }),
      buttons: [[{ label: everyLanguage(ctx, 'pointsButton'), action: 'prepayment.use-points', payload: { paymentId: p.id } }]],
    },
  });
}

/**
 * The client pays part with points: loyalty decides how much (at most 50 % of the price, its other rules) and
 * holds them; the open payment shrinks by that and a new invoice replaces the old one, whose amount no longer
 * passes the pre-checkout check.
 */
export const usePoints: ActionHandler = async (input, trx, ctx) => {
  const p = await loadPayment(trx, input.tenantId, String(input.payload.paymentId));
  const loyalty = await ctx.optionalService('loyalty', input.tenantId, trx);
  if (!p || p.status !== 'pending' || !loyalty) return { reply: { text: everyLanguage(ctx, 'pointsUnavailable') }, removeButtons: true };
  const booking = await ctx.service('booking').getBooking(input.tenantId, p.booking_id);
  if (!booking) return { reply: { text: everyLanguage(ctx, 'pointsUnavailable') }, removeButtons: true };
  const account = await loyalty.account(input.tenantId, p.contact_id, trx);
  const wanted = Math.min(Math.floor(booking.price.amount / 2), account.balance * 100, Number(p.amount) - 1);
  if (wanted <= 0) return { reply: { text: everyLanguage(ctx, 'pointsUnavailable') }, removeButtons: true };
  const { applied } = await loyalty.applyTender(trx, input.tenantId, { bookingId: p.booking_id, contactId: p.contact_id, kind: 'points', amount: wanted });
  const left = Number(p.amount) - Math.min(applied, Number(p.amount) - 1);
  const updated = await trx.updateTable('prepayment_payments').set({ amount: left }).where('tenant_id', '=', input.tenantId).where('id', '=', p.id).where('status', '=', 'pending').returningAll().executeTakeFirstOrThrow() as PaymentRow;
  const cfg = await prepaymentConfig(ctx, input.tenantId, trx);
  return {
    removeButtons: true,
    reply: {
      text: perLanguage(ctx, 'pointsApplied', (l) => ({ applied: formatMoney({ amount: applied, currency: p.currency }, l), left: formatMoney({ amount: left, currency: p.currency }, l) })),
      invoice: await invoiceFor(ctx, trx, input.tenantId, updated, cfg),
    },
  };
};
