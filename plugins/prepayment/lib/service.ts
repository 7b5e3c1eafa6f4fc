import type { PluginContext } from '../../../plugin-sdk.js';
import type { BookingPayments, PaymentState, PrepaymentService } from '../contract.js';
import { prepaymentConfig } from './config.js';
import { canCollect } from './payments.js';
import { offerTip } from './tips.js';
import { breakdown } from './breakdown.js';

/** What prepayment offers its dependents (`ctx.service('prepayment')`), typed by contract.ts. */
export function prepaymentService(ctx: PluginContext): PrepaymentService {
  const priceBreakdown: PrepaymentService['breakdown'] = async (tenantId, bookingId, q = ctx.db) => {
    const b = await breakdown(ctx, tenantId, bookingId, q);
    if (!b) throw ctx.error('BF_ERR_PREPAYMENT_BOOKING_NOT_FOUND', { id: bookingId });
    return b;
  };
  return {
    // The same check as the hold (holds.ts holdForPayment): what is ready here is what a client's booking is asked.
    async readiness(tenantId, q = ctx.db) {
      if (!(await ctx.isEnabled(tenantId, q))) return 'disabled';
      return (await canCollect(ctx, tenantId, await prepaymentConfig(ctx, tenantId, q), q)) ? 'ready' : 'no-provider';
    },
    async bookingPayments(tenantId, bookingId, q = ctx.db): Promise<BookingPayments> {
      const b = await priceBreakdown(tenantId, bookingId, q);
      const pending = await q.selectFrom('prepayment_payments').select('id').where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId).where('purpose', '=', 'prepayment').where('status', '=', 'pending').executeTakeFirst();
      const [paid, refunded] = [b.prepaid.amount, b.refunded.amount];
      const state: PaymentState = paid === 0 ? (pending ? 'pending' : 'none') : refunded === 0 ? 'paid' : refunded >= paid ? 'refunded' : 'partially_refunded';
      return { state, price: b.price, paid: b.prepaid, refunded: b.refunded, due: b.due };
    },
    breakdown: priceBreakdown,
    offerTip: (trx, tenantId, bookingId) => offerTip(ctx, trx, tenantId, bookingId),
  };
}
