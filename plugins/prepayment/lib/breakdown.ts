import type { Db, DomainEvent, Locale, Money, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { PriceBreakdown } from '../contract.js';
import { formatMoney } from './money.js';

/** The plugins whose discounts have a name of their own in the breakdown; any other is "a discount". */
export const DISCOUNT_SOURCES = new Set(['hot-windows', 'referrals']);

type Pricing = { listPrice: number; changes: Array<{ source: string; amount: number }> };

/** booking.created with a price other plugins changed: the list price and each one's discount, kept for the breakdown. */
export async function recordPricing(event: DomainEvent<{ bookingId: string; pricing?: Pricing }>, trx: Tx, ctx: PluginContext): Promise<void> {
  const pricing = event.payload.pricing;
  if (!pricing) return;
  const { currency } = await ctx.business(event.tenantId, trx);
  await trx.insertInto('prepayment_prices').values({
    tenant_id: event.tenantId, booking_id: event.payload.bookingId, list_price: pricing.listPrice, currency, discounts: JSON.stringify(pricing.changes),
  }).onConflict((oc) => oc.columns(['tenant_id', 'booking_id']).doNothing()).execute();
}

/**
 * A booking's money as the client and the desk see it: the list price, each discount with the plugin that gave it,
 * the price, what loyalty's tenders pay (points, a certificate, the deposit balance), the money paid ahead and
 * refunded, and what is left to pay at the visit. Undefined for a booking the business does not have.
 */
export async function breakdown(ctx: PluginContext, tenantId: string, bookingId: string, q: Db | Tx = ctx.db): Promise<PriceBreakdown | undefined> {
  const booking = await ctx.service('booking').getBooking(tenantId, bookingId);
  if (!booking) return undefined;
  const { currency } = booking.price;
  const m = (amount: number): Money => ({ amount, currency });
  const [noted, rows, loyalty] = await Promise.all([
    q.selectFrom('prepayment_prices').select(['list_price', 'discounts']).where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId).where('currency', '=', currency).executeTakeFirst(),
    q.selectFrom('prepayment_payments').select(['status', 'amount', 'refunded']).where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId).where('purpose', '=', 'prepayment').execute(),
    ctx.optionalService('loyalty', tenantId, q),
  ]);
  const tenders = loyalty ? await loyalty.tenders(tenantId, bookingId, q) : [];
  const prepaid = rows.filter((r) => r.status === 'succeeded').reduce((a, r) => a + Number(r.amount), 0);
  const refunded = rows.reduce((a, r) => a + Number(r.refunded), 0);
  const covered = tenders.reduce((a, t) => a + t.amount, 0);
  const discounts = ((noted?.discounts ?? []) as Pricing['changes']).map((d) => ({ source: d.source, amount: m(d.amount) }));
  return {
    listPrice: m(noted ? Number(noted.list_price) : booking.price.amount), discounts, price: booking.price,
    tenders: tenders.filter((t) => t.amount > 0).map((t) => ({ kind: t.kind, amount: m(t.amount), ...(t.certificateNumber ? { certificateNumber: t.certificateNumber } : {}) })),
    prepaid: m(prepaid), refunded: m(refunded), due: m(Math.max(0, booking.price.amount - (prepaid - refunded) - covered)),
  };
}

/** The breakdown as lines of a client's message, in their language (a line only for what there is). */
export function breakdownLines(ctx: PluginContext, locale: Locale, b: PriceBreakdown): string[] {
  const f = (x: Money) => formatMoney(x, locale);
  const source = (id: string) => ctx.t(locale, `breakdown.source.${DISCOUNT_SOURCES.has(id) ? id : 'other'}`);
  return [
    ...(b.discounts.length ? [ctx.t(locale, 'breakdown.listPrice', { amount: f(b.listPrice) })] : []),
    ...b.discounts.map((d) => ctx.t(locale, d.amount.amount > 0 ? 'breakdown.discountLine' : 'breakdown.surchargeLine', { label: source(d.source), amount: f({ ...d.amount, amount: Math.abs(d.amount.amount) }) })),
    ctx.t(locale, 'breakdown.price', { amount: f(b.price) }),
    ...b.tenders.map((t) => ctx.t(locale, `breakdown.tender.${t.kind}`, { amount: f(t.amount) })),
    ...(b.prepaid.amount ? [ctx.t(locale, 'breakdown.prepaid', { amount: f(b.prepaid) })] : []),
    ...(b.refunded.amount ? [ctx.t(locale, 'breakdown.refunded', { amount: f(b.refunded) })] : []),
    ctx.t(locale, 'breakdown.due', { amount: f(b.due) }),
  ];
}
