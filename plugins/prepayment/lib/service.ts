import type { PluginContext } from '../../../plugin-sdk.js';
import type { BookingPayments, PaymentState, PrepaymentService } from '../contract.js';
import { prepaymentConfig } from './config.js';
import { canCollect } from './payments.js';
import { offerTip } from './tips.js';

/** What prepayment offers its dependents (`ctx.service('prepayment')`), typed by contract.ts. */
export function prepaymentService(ctx: PluginContext): PrepaymentService {
  return {
    // The same check as the hold (holds.ts holdForPayment): what is ready here is what a client's booking is asked.
    async readiness(tenantId, q = ctx.db) {
      if (!(await ctx.isEnabled(tenantId, q))) return 'disabled';
      return (await canCollect(ctx, tenantId, await prepaymentConfig(ctx, tenantId, q), q)) ? 'ready' : 'no-provider';
    },
    async bookingPayments(tenantId, bookingId, q = ctx.db): Promise<BookingPayments> {
      const booking = await ctx.service('booking').getBooking(tenantId, bookingId);
      if (!booking) throw ctx.error('BF_ERR_PREPAYMENT_BOOKING_NOT_FOUND', { id: bookingId });
      const rows = await q.selectFrom('prepayment_payments').select(['status', 'amount', 'refunded']).where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId).where('purpose', '=', 'prepayment').execute();
      const paid = rows.filter((r) => r.status === 'succeeded').reduce((a, r) => a + Number(r.amount), 0);
      const refunded = rows.reduce((a, r) => a + Number(r.refunded), 0);
      const pending = rows.some((r) => r.status === 'pending');
      const state: PaymentState = paid === 0 ? (pending ? 'pending' : 'none') : refunded === 0 ? 'paid' : refunded >= paid ? 'refunded' : 'partially_refunded';
      const tenders = await ctx.optionalService('loyalty', tenantId, q);
      const covered = tenders ? (await tenders.tenders(tenantId, bookingId, q)).reduce((a, t) => a + t.amount, 0) : 0;
      const currency = booking.price.currency;
      return {
        state, price: booking.price, paid: { amount: paid, currency }, refunded: { amount: refunded, currency },
        due: { amount: Math.max(0, booking.price.amount - (paid - refunded) - covered), currency },
      };
    },
    offerTip: (trx, tenantId, bookingId) => offerTip(ctx, trx, tenantId, bookingId),
  };
}
