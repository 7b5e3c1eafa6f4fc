import type { NodeRuntime, Tx } from '../../../plugin-sdk.js';
import { lockAccount } from '../lib/ledger.js';
import { minorPerPoint } from '../lib/money.js';
import { applyTender, redeemable } from '../lib/tenders.js';

/**
 * After the booking is made: "pay N points of M available?". N is what the rules allow (maxRedeemPercent of
 * the price, the balance); nothing is shown when the client has no points or may not redeem yet.
 */
export const offerPoints: NodeRuntime = async (input, ctx) => {
  const { tenantId, locale } = input;
  const bookingId = typeof input.vars.bookingId === 'string' ? input.vars.bookingId : null;
  const booking = bookingId ? await ctx.service('booking').getBooking(tenantId, bookingId) : undefined;
  if (!booking) return { next: 'next' };
  const trx = input.db as Tx;
  const choice = input.input?.callback;
  if (choice === 'skip') return { next: 'next' };
  if (choice === 'pay') {
    try {
      const offer = Number(input.vars.loyaltyOffer ?? 0);
      await applyTender(ctx, trx, tenantId, { bookingId: booking.id, contactId: booking.clientId, kind: 'points', amount: offer * minorPerPoint(booking.price.currency) }, booking);
      return { messages: [{ text: ctx.t(locale, 'pointsHeld', { points: offer }) }], set: { loyaltyPointsApplied: offer }, next: 'next' };
    } catch (e) {
      if (!(e as { code?: string }).code?.startsWith('BF_ERR_LOYALTY_')) throw e;
      return { messages: [{ text: ctx.errorMessage(e, locale) }], next: 'next' };
    }
  }
  const acc = await lockAccount(trx, tenantId, booking.clientId);
  const { points: offer } = await redeemable(ctx, trx, tenantId, booking, acc.balance);
  if (offer <= 0) return { next: 'next' };
  return {
    messages: [{ text: ctx.t(locale, 'offerPoints', { points: offer, balance: acc.balance }), buttons: [[{ label: ctx.t(locale, 'payWithPoints', { points: offer }), value: 'pay' }], [{ label: ctx.t(locale, 'payLater'), value: 'skip' }]] }],
    set: { loyaltyOffer: offer },
    wait: true,
  };
};
