import type { ActionHandler, PluginContext, Tx } from '../../../plugin-sdk.js';
import { prepaymentConfig, telegramToken } from './config.js';
import { askToPay, reachableInTelegram, specialistOf, type PaymentRow } from './payments.js';
import { formatMoney } from './money.js';
import { everyLanguage, perLanguage } from './text.js';

/**
 * The tip offer after a completed visit, once per booking: preset percents of its price and preset amounts, each
 * a button. The tip goes to the visit's specialist and stays out of revenue (and so of loyalty's accrual). Only a
 * client the bot reaches in Telegram gets it: email and SMS drop buttons to tap, which would leave an offer with
 * no way to take it (a client rating by a link in an email).
 */
export async function offerTip(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string): Promise<{ offered: boolean }> {
  const booking = await ctx.service('booking').getBooking(tenantId, bookingId);
  if (booking?.status !== 'completed' || !(await reachableInTelegram(ctx, trx, tenantId, booking.clientId))) return { offered: false };
  const cfg = await prepaymentConfig(ctx, tenantId, trx);
  const options = [...cfg.tips.percents.map((pc) => Math.round((booking.price.amount * pc) / 100)), ...cfg.tips.amounts].filter((a) => a > 0);
  if (!options.length || !(await telegramToken(ctx, tenantId, cfg)) && cfg.linkProvider === 'none') return { offered: false };
  const first = await trx.insertInto('prepayment_tip_offers').values({ tenant_id: tenantId, booking_id: bookingId, offered_at: ctx.now() })
    .onConflict((oc) => oc.columns(['tenant_id', 'booking_id']).doNothing()).returning('booking_id').executeTakeFirst();
  if (!first) return { offered: false };
  const labels = options.map((amount, i) => perLanguage(ctx, i < cfg.tips.percents.length ? 'tipPercent' : 'tipAmount', (l) => ({ percent: cfg.tips.percents[i], amount: formatMoney({ amount, currency: booking.price.currency }, l) })));
  await ctx.messages.send(trx, {
    tenantId, to: { contactId: booking.clientId }, purpose: 'transactional', idempotencyKey: `prepayment-tip-offer:${bookingId}`,
    message: { text: everyLanguage(ctx, 'tipOffer'), buttons: options.map((amount, i) => [{ label: labels[i], action: 'prepayment.tip', payload: { bookingId, amount } }]) },
  });
  return { offered: true };
}

/** A tip button: the tip payment for the visit's specialist, asked for like a prepayment (an invoice in the chat). */
export const tip: ActionHandler = async (input, trx, ctx) => {
  const bookingId = String(input.payload.bookingId);
  const amount = Number(input.payload.amount);
  const booking = await ctx.service('booking').getBooking(input.tenantId, bookingId);
  if (!booking || !Number.isSafeInteger(amount) || amount <= 0) return { reply: { text: everyLanguage(ctx, 'tipUnavailable') }, removeButtons: true };
  const existing = await trx.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', input.tenantId).where('booking_id', '=', bookingId).where('purpose', '=', 'tip').executeTakeFirst() as PaymentRow | undefined;
  if (existing?.status === 'succeeded') return { reply: { text: everyLanguage(ctx, 'tipThanks') }, removeButtons: true };
  // Another choice replaces an unpaid one: its old invoice no longer passes the pre-checkout check.
  if (existing) await trx.deleteFrom('prepayment_payments').where('tenant_id', '=', input.tenantId).where('id', '=', existing.id).where('status', '<>', 'succeeded').execute();
  const made = await askToPay(ctx, trx, input.tenantId, { booking, purpose: 'tip', amount: { amount, currency: booking.price.currency }, specialistId: await specialistOf(ctx, input.tenantId, booking), expiresAt: null });
  if (!made) return { reply: { text: everyLanguage(ctx, 'tipUnavailable') }, removeButtons: true };
  return { removeButtons: true };
};

