import type { ActionHandler, Locale, PluginContext, Tx } from '../../../plugin-sdk.js';
import { prepaymentConfig } from './config.js';
import { loadPayment, sendInvoice, type PaymentRow } from './payments.js';
import { formatMoney } from './money.js';
import { everyLanguage, perLanguage } from './text.js';

/** What loyalty's tenders (points, a certificate, the deposit) already pay of a booking; 0 without loyalty. */
export async function coveredByTenders(ctx: PluginContext, q: Tx, tenantId: string, bookingId: string): Promise<number> {
  const loyalty = await ctx.optionalService('loyalty', tenantId, q);
  if (!loyalty) return 0;
  return (await loyalty.tenders(tenantId, bookingId, q)).reduce((sum, t) => sum + t.amount, 0);
}

/** Points can pay part of a prepayment: offered beside the invoice when loyalty is on and its rules let them pay now. */
export async function offerPoints(ctx: PluginContext, trx: Tx, tenantId: string, p: PaymentRow): Promise<void> {
  const loyalty = await ctx.optionalService('loyalty', tenantId, trx);
  if (!loyalty) return;
  const account = await loyalty.account(tenantId, p.contact_id, trx);
  if (account.blockedUntil) return;
  const { amount } = await loyalty.redeemable(tenantId, { bookingId: p.booking_id, cover: Number(p.amount) }, trx);
  if (amount <= 0) return;
  await ctx.messages.send(trx, {
    tenantId, to: { contactId: p.contact_id }, purpose: 'transactional', idempotencyKey: `prepayment-points:${p.id}`,
    message: {
      text: perLanguage(ctx, 'pointsOffer', (l) => ({ balance: account.balance, amount: formatMoney({ amount, currency: p.currency }, l) })),
      buttons: [[{ label: everyLanguage(ctx, 'pointsButton'), action: 'prepayment.use-points', payload: { paymentId: p.id } }]],
    },
  });
}

/**
 * The client pays with points: loyalty says how much its rules allow (`maxRedeemPercent` of the price, the
 * balance, whole points) up to the open payment, and holds them. Points covering it all end the payment and
 * confirm the booking; otherwise the payment shrinks and a new invoice replaces the old one, whose amount no
 * longer passes the pre-checkout check.
 */
export const usePoints: ActionHandler = async (input, trx, ctx) => {
  const unavailable = { reply: { text: everyLanguage(ctx, 'pointsUnavailable') }, removeButtons: true };
  const p = await loadPayment(trx, input.tenantId, String(input.payload.paymentId));
  const loyalty = await ctx.optionalService('loyalty', input.tenantId, trx);
  if (!p || p.status !== 'pending' || !loyalty) return unavailable;
  const open = Number(p.amount);
  const { amount } = await loyalty.redeemable(input.tenantId, { bookingId: p.booking_id, cover: open }, trx);
  if (amount <= 0) return unavailable;
  const { applied } = await loyalty.applyTender(trx, input.tenantId, { bookingId: p.booking_id, contactId: p.contact_id, kind: 'points', amount });
  const left = Math.max(0, open - applied);
  const money = (l: Locale) => ({ applied: formatMoney({ amount: applied, currency: p.currency }, l), left: formatMoney({ amount: left, currency: p.currency }, l) });
  if (left === 0) {
    // Nothing is left to pay in money: the open invoice is void (its pre-checkout is refused) and the booking confirmed.
    await trx.updateTable('prepayment_payments').set({ status: 'canceled' }).where('tenant_id', '=', input.tenantId).where('id', '=', p.id).where('status', '=', 'pending').execute();
    await ctx.jobs.now('confirm-booking', { bookingId: p.booking_id }, { tenantId: input.tenantId, key: `confirm-booking:${p.booking_id}`, trx });
    return { removeButtons: true, reply: { text: perLanguage(ctx, 'pointsCovered', money) } };
  }
  const updated = await trx.updateTable('prepayment_payments').set({ amount: left }).where('tenant_id', '=', input.tenantId).where('id', '=', p.id).where('status', '=', 'pending').returningAll().executeTakeFirstOrThrow() as PaymentRow;
  // Through the outbox, not the reply: a button's reply carries text and buttons only.
  await sendInvoice(ctx, trx, input.tenantId, updated, await prepaymentConfig(ctx, input.tenantId, trx));
  return { removeButtons: true, reply: { text: perLanguage(ctx, 'pointsApplied', money) } };
};
