import type { PluginContext, Tx } from '../../plugin-sdk.js';
import type { BookingSummary } from '../booking/contract.js';
import { prepaymentConfig } from './lib/config.js';
import { record } from './lib/ledger.js';
import { policyOf, policyPercent } from './lib/refunds.js';
import { businessRule, requiredAmount } from './lib/requirement.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The longer, dearer procedures (from 3 500 ₽: hammam, full massage, stone therapy, facial, colouring) are 30 % prepaid. */
const PREPAID_FROM = 350_000;
const PERCENT = 30;
const TIP_PERCENT = 10;

/**
 * The demo salon's money: 30 % prepayment of its dearer procedures and the 24 h / 50 % refund policy, then four weeks
 * of history in this plugin's tables — deposits paid in Telegram for the past visits, a late cancellation refunded
 * by the policy, tips for two specialists, a deposit held for a coming visit. History only: no event, message or
 * provider call. Bookings come from booking's service on the seed's transaction (booking seeds first).
 */
export async function seedDemo(ctx: PluginContext, trx: Tx, tenantId: string): Promise<void> {
  const booking = ctx.service('booking');
  const services = await booking.services(tenantId, undefined, trx);
  await ctx.setConfig(trx, tenantId, {
    rules: services.filter((s) => s.kind === 'regular' && s.price.amount >= PREPAID_FROM).map((s) => ({ serviceId: s.id, kind: 'percent', percent: PERCENT })),
    cancellation: { fullRefundHours: 24, laterPercent: 50 },
  });
  const cfg = await prepaymentConfig(ctx, tenantId, trx);
  const staff = new Set((await booking.resources(tenantId, undefined, trx)).filter((r) => r.kind === 'staff').map((r) => r.id));
  const now = ctx.now().getTime();
  const deposit = (b: BookingSummary) => {
    const service = services.find((s) => s.id === b.serviceId);
    return service ? requiredAmount(businessRule(cfg, service, b.price.currency), b.price) : 0;
  };
  const pay = async (b: BookingSummary, purpose: 'prepayment' | 'tip', amount: number, at: Date) => {
    const specialistId = b.resourceIds.find((id) => staff.has(id)) ?? null;
    const p = await trx.insertInto('prepayment_payments').values({
      tenant_id: tenantId, booking_id: b.id, contact_id: b.clientId, purpose, service_id: b.serviceId, specialist_id: specialistId, booking_start: new Date(b.start),
      provider: 'telegram', status: 'succeeded', amount, currency: b.price.currency, paid_at: at, created_at: new Date(at.getTime() - 60_000),
    }).returning('id').executeTakeFirstOrThrow();
    await record(trx, {
      tenantId, kind: purpose === 'tip' ? 'tip' : 'payment', amount, currency: b.price.currency, method: 'telegram', bookingId: b.id, contactId: b.clientId,
      serviceId: b.serviceId, specialistId, paymentId: p.id, sourceKey: `payment:${p.id}`, at,
    });
    return { id: p.id, specialistId };
  };

  const past = await booking.bookings(tenantId, { from: new Date(now - 35 * DAY), to: new Date(now), statuses: ['completed', 'cancelled'] }, trx);
  for (const b of past) {
    const amount = deposit(b);
    if (amount <= 0) continue;
    const start = new Date(b.start);
    const p = await pay(b, 'prepayment', amount, new Date(start.getTime() - 2 * DAY));
    if (b.status === 'cancelled') await refund(trx, tenantId, b, p.id, amount, policyPercent(policyOf(cfg, b.serviceId), start, new Date(start.getTime() - 5 * HOUR)), p.specialistId);
  }
  // Two happy clients of the latest visits tipped their (two different) specialists.
  const bySpecialist = new Map(past.filter((b) => b.status === 'completed').flatMap((b) => b.resourceIds.filter((id) => staff.has(id)).map((id) => [id, b] as const)));
  for (const b of [...bySpecialist.values()].slice(-2)) await pay(b, 'tip', Math.round((b.price.amount * TIP_PERCENT) / 100), new Date(new Date(b.end).getTime() + 2 * HOUR));
  // A coming visit already prepaid: the report's "held for future visits".
  const ahead = (await booking.bookings(tenantId, { from: new Date(now), to: new Date(now + 14 * DAY), statuses: ['confirmed', 'pending'] }, trx)).find((b) => deposit(b) > 0);
  if (ahead) await pay(ahead, 'prepayment', deposit(ahead), new Date(now));
}

/** A client's late cancellation, refunded by the policy's share and done at the provider (history: no job). */
async function refund(trx: Tx, tenantId: string, b: BookingSummary, paymentId: string, paid: number, percent: number, specialistId: string | null) {
  const amount = Math.round((paid * percent) / 100);
  if (amount <= 0) return;
  const at = new Date(new Date(b.start).getTime() - 5 * HOUR + 10 * 60_000);
  const r = await trx.insertInto('prepayment_refunds').values({
    tenant_id: tenantId, payment_id: paymentId, booking_id: b.id, key: `cancel:${b.id}`, amount, currency: b.price.currency, percent, reason: 'cancelled by client',
    status: 'succeeded', attempts: 1, created_at: new Date(at.getTime() - 10 * 60_000), done_at: at,
  }).returning('id').executeTakeFirstOrThrow();
  await trx.updateTable('prepayment_payments').set({ refunded: amount }).where('tenant_id', '=', tenantId).where('id', '=', paymentId).execute();
  await record(trx, {
    tenantId, kind: 'refund', amount, currency: b.price.currency, method: 'telegram', bookingId: b.id, contactId: b.clientId,
    serviceId: b.serviceId, specialistId, paymentId, refundId: r.id, sourceKey: `refund:${r.id}`, at,
  });
}
