import type { DomainEvent, Locale, PluginContext, TelegramPayments, Tx } from '../../../plugin-sdk.js';
import type { BeforeCreateInput, HoldDecision } from '../../booking/contract.js';
import { prepaymentConfig, telegramToken } from './config.js';
import { askToPay, canCollect, clientLocale, loadPayment, markPaid, paymentOfPayload, thank, type PaymentRow } from './payments.js';
import { requirementFor } from './requirement.js';
import { breakdown } from './breakdown.js';
import { policyOf, policyPercent, requestRefund } from './refunds.js';
import { coveredByTenders, offerPoints } from './tenders.js';

/** Clients booking themselves pay ahead; the desk takes the booking as it is (it collects at the visit). */
const CLIENT_SOURCES = new Set(['chat', 'widget', 'api']);

async function amountDue(ctx: PluginContext, tenantId: string, input: { serviceId: string; start: string; resourceIds: string[]; price: { amount: number; currency: string }; clientId?: string }) {
  const cfg = await prepaymentConfig(ctx, tenantId);
  const [service] = await ctx.service('booking').services(tenantId, [input.serviceId]);
  if (!service) return { cfg, amount: 0 };
  const { amount } = await requirementFor(ctx, cfg, { tenantId, ...input }, service.departmentId);
  return { cfg, amount };
}

/** booking.hold: a client's booking that needs a prepayment is held for the payment window, when the business can take money. */
export async function holdForPayment(input: BeforeCreateInput, value: HoldDecision, ctx: PluginContext, call: { tenantId: string }): Promise<HoldDecision> {
  if (value.hold || !CLIENT_SOURCES.has(input.source) || input.price.amount <= 0) return value;
  const { cfg, amount } = await amountDue(ctx, call.tenantId, { ...input, clientId: input.client.id });
  if (amount <= 0 || !(await canCollect(ctx, call.tenantId, cfg))) return value;
  return { hold: true, minutes: cfg.paymentWindowMinutes };
}

/**
 * booking.created as a hold: the prepayment it needs, less what the client's points, certificate or deposit
 * cover, is asked for (an invoice in the chat or a payment page). Nothing left to pay confirms it at once.
 */
export async function onBookingCreated(event: DomainEvent<{ bookingId: string; status: string }>, trx: Tx, ctx: PluginContext): Promise<void> {
  if (event.payload.status === 'held') await askForPrepayment(ctx, trx, event.tenantId, event.payload.bookingId);
}

/** The held booking's payment, asked once (booking.created, or first the public answer of the widget's booking). */
export async function askForPrepayment(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string): Promise<void> {
  const booking = await ctx.service('booking').getBooking(tenantId, bookingId);
  if (!booking || booking.status !== 'held') return;
  const { cfg, amount } = await amountDue(ctx, tenantId, { ...booking, clientId: booking.clientId });
  if (amount <= 0) return;
  const due = amount - Math.min(amount, await coveredByTenders(ctx, trx, tenantId, booking.id));
  if (due <= 0) {
    await ctx.jobs.now('confirm-booking', { bookingId: booking.id }, { tenantId, key: `confirm-booking:${booking.id}`, trx });
    return;
  }
  const payment = await askToPay(ctx, trx, tenantId, {
    booking, purpose: 'prepayment', amount: { amount: due, currency: booking.price.currency }, specialistId: await specialistOf(ctx, tenantId, booking.resourceIds),
    expiresAt: new Date(ctx.now().getTime() + cfg.paymentWindowMinutes * 60_000),
  });
  if (payment) await offerPoints(ctx, trx, tenantId, payment);
}

async function specialistOf(ctx: PluginContext, tenantId: string, resourceIds: string[]) {
  return (await ctx.service('booking').resources(tenantId, resourceIds)).find((r) => r.kind === 'staff')?.id ?? null;
}

/** A hold that ran out takes its unpaid invoice with it: a later pre-checkout is refused. */
export async function onStatusChanged(event: DomainEvent<{ bookingId: string; from: string; to: string }>, trx: Tx): Promise<void> {
  if (event.payload.from !== 'held' || !['expired', 'cancelled'].includes(event.payload.to)) return;
  await trx.updateTable('prepayment_payments').set({ status: event.payload.to === 'expired' ? 'expired' : 'canceled' })
    .where('tenant_id', '=', event.tenantId).where('booking_id', '=', event.payload.bookingId).where('purpose', '=', 'prepayment').where('status', '=', 'pending').execute();
}

/**
 * booking.cancelled: the client's cancellation (in the bot, by a reminder's button, at the desk) gets the policy's
 * share back, counted from now on the app's clock (the event's stamp is the database's own time); the handler runs
 * right after the cancel, a retried one counts from its own run. The business cancelling (`system`) refunds
 * everything. One refund per cancellation: its key is the booking's.
 */
export async function onBookingCancelled(event: DomainEvent<{ bookingId: string; start: string; serviceId: string; by: string }>, trx: Tx, ctx: PluginContext): Promise<void> {
  const cfg = await prepaymentConfig(ctx, event.tenantId, trx);
  const percent = event.payload.by === 'system' ? 100 : policyPercent(policyOf(cfg, event.payload.serviceId), new Date(event.payload.start), ctx.now());
  await requestRefund(ctx, trx, event.tenantId, { bookingId: event.payload.bookingId, key: `cancel:${event.payload.bookingId}`, percent, reason: `cancelled by ${event.payload.by}`, actorId: null });
}

/** Confirms a paid hold; a payment that came after the hold ran out (or was cancelled) goes back in full. */
export async function confirmBooking(ctx: PluginContext, tenantId: string, data: { paymentId?: string; bookingId?: string }): Promise<void> {
  const p = data.paymentId ? await loadPayment(ctx.db, tenantId, data.paymentId) : undefined;
  const bookingId = p?.booking_id ?? data.bookingId;
  if (!bookingId) return;
  const booking = await ctx.service('booking').getBooking(tenantId, bookingId);
  if (booking?.status === 'held') {
    await ctx.service('booking').setStatus(tenantId, bookingId, 'confirmed', { kind: 'system', id: null });
    if (p) await ctx.transaction(async (trx) => thank(ctx, trx, tenantId, p, 'paidConfirmed', await breakdown(ctx, tenantId, bookingId, trx)));
    return;
  }
  if (p && booking && ['expired', 'cancelled'].includes(booking.status)) {
    await ctx.transaction((trx) => requestRefund(ctx, trx, tenantId, { bookingId, key: `late:${p.id}`, percent: 100, reason: `paid after the booking was ${booking.status}`, actorId: null }));
  }
}

/** Telegram Payments through core's channel: the token per business, the pre-checkout check, fulfilment. */
export const telegramPayments: TelegramPayments = {
  async providerToken(tenantId, _botId, ctx) {
    return telegramToken(ctx, tenantId, await prepaymentConfig(ctx, tenantId));
  },

  // Checked here, in the update handler: the payment is still open, its booking still held, the amount unchanged.
  // A refusal is told in the client's language.
  async preCheckout(q, ctx) {
    const id = paymentOfPayload(q.payload);
    const p = id ? await loadPayment(ctx.db, q.tenantId, id) : undefined;
    const locale: Locale = await clientLocale(ctx, ctx.db, q.tenantId, p?.contact_id ?? null);
    const refuse = (key: string) => ({ ok: false as const, error: ctx.t(locale, key) });
    if (!p || p.provider !== 'telegram') return refuse('checkoutUnknown');
    if (p.status !== 'pending') return refuse(p.status === 'succeeded' ? 'checkoutPaid' : 'checkoutExpired');
    if (Number(p.amount) !== q.totalAmount || p.currency !== q.currency) return refuse('checkoutAmountChanged');
    if (p.purpose === 'prepayment') {
      if (p.expires_at && p.expires_at <= ctx.now()) return refuse('checkoutExpired');
      const booking = await ctx.service('booking').getBooking(q.tenantId, p.booking_id);
      if (booking?.status !== 'held') return refuse('checkoutExpired');
    }
    return { ok: true };
  },

  async paid(payment, ctx) {
    const id = paymentOfPayload(payment.payload);
    const p: PaymentRow | undefined = id ? await loadPayment(ctx.db, payment.tenantId, id) : undefined;
    if (!p) {
      ctx.log.error({ tenantId: payment.tenantId, charge: payment.telegramChargeId }, 'a Telegram payment names no payment of this business');
      return;
    }
    await markPaid(ctx, payment.tenantId, p.id, {
      amount: { amount: payment.totalAmount, currency: payment.currency }, telegramChargeId: payment.telegramChargeId, providerChargeId: payment.providerChargeId,
    });
  },
};
