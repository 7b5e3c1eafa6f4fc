import type { Db, Locale, Money, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { BookingSummary } from '../../booking/contract.js';
import type { PriceBreakdown, ProviderId } from '../contract.js';
import { gateway, prepaymentConfig, telegramToken, type PrepaymentConfig } from './config.js';
import { record } from './ledger.js';
import { clip, everyLanguage } from './text.js';
import { breakdown, breakdownLines } from './breakdown.js';
import { formatMoney, toDecimal } from './money.js';

export interface PaymentRow {
  tenant_id: string;
  id: string;
  booking_id: string;
  contact_id: string;
  purpose: 'prepayment' | 'tip';
  service_id: string;
  specialist_id: string | null;
  booking_start: Date;
  provider: ProviderId;
  provider_payment_id: string | null;
  telegram_charge_id: string | null;
  provider_charge_id: string | null;
  status: 'pending' | 'succeeded' | 'canceled' | 'expired';
  amount: string | number;
  currency: string;
  refunded: string | number;
  confirmation_url: string | null;
  expires_at: Date | null;
  paid_at: Date | null;
  created_at: Date;
}

/** An invoice's payload names our payment, nothing else (Telegram shows it to no one, but hands it back). */
export const invoicePayload = (paymentId: string) => `pp:${paymentId}`;
export const paymentOfPayload = (payload: string): string | undefined => /^pp:([0-9a-f-]{36})$/.exec(payload)?.[1];

export const loadPayment = (q: PluginContext['db'] | Tx, tenantId: string, id: string) =>
  q.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst() as Promise<PaymentRow | undefined>;

/** The booking's specialist (its staff resource), whom a tip and the revenue by specialist are for. */
export async function specialistOf(ctx: PluginContext, tenantId: string, booking: BookingSummary): Promise<string | null> {
  const resources = await ctx.service('booking').resources(tenantId, booking.resourceIds);
  return resources.find((r) => r.kind === 'staff')?.id ?? null;
}

/** A Telegram chat of the contact that the bot can still reach. */
export async function reachableInTelegram(ctx: PluginContext, trx: Tx, tenantId: string, contactId: string): Promise<boolean> {
  const contact = await ctx.contacts.get(trx, tenantId, contactId);
  return Boolean(contact?.identities.some((i) => i.kind === 'telegram' && !i.unreachable));
}

/** Whether the business can take money at all: Telegram's provider, or a card gateway for clients outside it. */
export async function canCollect(ctx: PluginContext, tenantId: string, cfg: PrepaymentConfig, q?: Db | Tx): Promise<boolean> {
  return Boolean((await telegramToken(ctx, tenantId, cfg, q)) || (cfg.linkProvider !== 'none' && gateway(ctx, cfg, cfg.linkProvider)));
}

export interface NewPayment {
  booking: BookingSummary;
  purpose: 'prepayment' | 'tip';
  amount: Money;
  specialistId: string | null;
  expiresAt: Date | null;
}

/**
 * Who takes the money: for a booking made in the chat (and a tip), Telegram's invoice in the chat when a chat
 * reaches the client and the bot has a provider token; for one made through the public API (the widget, a Mini
 * App) an invoice link of the business's bot when it has the token; else the card gateway's page.
 */
async function providerFor(ctx: PluginContext, trx: Tx, tenantId: string, p: NewPayment, cfg: PrepaymentConfig): Promise<{ provider?: ProviderId; link: boolean }> {
  const link = p.purpose === 'prepayment' && p.booking.source !== 'chat';
  const telegram = (await telegramToken(ctx, tenantId, cfg, trx)) !== undefined
    && (link ? (await ctx.business(tenantId, trx)).telegramBots.length > 0 : await reachableInTelegram(ctx, trx, tenantId, p.booking.clientId));
  if (telegram) return { provider: 'telegram', link };
  return { provider: cfg.linkProvider !== 'none' && gateway(ctx, cfg, cfg.linkProvider) ? cfg.linkProvider : undefined, link: true };
}

/**
 * Writes the payment and asks the client for it in `trx`: an invoice in the chat, or a page to pay on (a
 * Telegram invoice link or a card gateway's payment, opened by a job: it calls out over the network). Once per
 * booking and purpose: a retried event finds the payment there and sends nothing more.
 */
export async function askToPay(ctx: PluginContext, trx: Tx, tenantId: string, p: NewPayment): Promise<PaymentRow | undefined> {
  const cfg = await prepaymentConfig(ctx, tenantId, trx);
  const { provider, link } = await providerFor(ctx, trx, tenantId, p, cfg);
  if (!provider) {
    ctx.log.warn({ tenantId, bookingId: p.booking.id }, 'no payment provider reaches the client');
    return undefined;
  }
  const row = await trx.insertInto('prepayment_payments').values({
    tenant_id: tenantId, booking_id: p.booking.id, contact_id: p.booking.clientId, purpose: p.purpose, service_id: p.booking.serviceId, specialist_id: p.specialistId,
    booking_start: new Date(p.booking.start), provider, status: 'pending', amount: p.amount.amount, currency: p.amount.currency, expires_at: p.expiresAt, created_at: ctx.now(),
  }).onConflict((oc) => oc.columns(['tenant_id', 'booking_id', 'purpose']).doNothing()).returningAll().executeTakeFirst() as PaymentRow | undefined;
  if (!row) return undefined;
  if (!link) await sendInvoice(ctx, trx, tenantId, row, cfg);
  else await ctx.jobs.now('create-link', { paymentId: row.id }, { tenantId, key: `create-link:${row.id}`, trx });
  return row;
}

/** The language of the client a payment is for: the contact's (set from their chat), else the business's. */
export async function clientLocale(ctx: PluginContext, q: Db | Tx, tenantId: string, contactId: string | null): Promise<Locale> {
  const [contact, business] = await Promise.all([contactId ? ctx.contacts.get(q, tenantId, contactId) : undefined, ctx.business(tenantId)]);
  return contact?.locale ?? business.locale;
}

/** The invoice in the client's language; prices in minor units; a 54-FZ receipt for the provider when the business wants it. */
export async function invoiceFor(ctx: PluginContext, q: Db | Tx, tenantId: string, p: PaymentRow, cfg: PrepaymentConfig): Promise<Record<string, unknown>> {
  const [locale, [service]] = await Promise.all([clientLocale(ctx, q, tenantId, p.contact_id), ctx.service('booking').services(tenantId, [p.service_id])]);
  const amount = { amount: Number(p.amount), currency: p.currency };
  const name = service?.name ?? '';
  const label = ctx.t(locale, p.purpose === 'tip' ? 'tipLabel' : 'prepaymentLabel');
  const receipt = cfg.telegram.sendReceipt
    ? { need_email: true, send_email_to_provider: true, provider_data: JSON.stringify({ receipt: { items: [{ description: clip(`${label}: ${name}`, 128), quantity: '1.00', amount: { value: toDecimal(amount), currency: amount.currency }, vat_code: cfg.telegram.vatCode }] } }) }
    : {};
  const description = ctx.t(locale, p.purpose === 'tip' ? 'tipDescription' : 'invoiceDescription', { service: name, amount: formatMoney(amount, locale), minutes: cfg.paymentWindowMinutes });
  // A prepayment's invoice also shows the price, tenders and what is left for the visit once it is paid, when that
  // fits Telegram's 255 characters.
  const b = p.purpose === 'prepayment' ? await breakdown(ctx, tenantId, p.booking_id, q) : undefined;
  const paying = b && { ...b, prepaid: { ...b.prepaid, amount: b.prepaid.amount + amount.amount }, due: { ...b.due, amount: Math.max(0, b.due.amount - amount.amount) } };
  const withBreakdown = paying ? `${description} ${breakdownLines(ctx, locale, paying).join('; ')}.` : description;
  return {
    title: clip(p.purpose === 'tip' ? label : name || label, 32),
    description: withBreakdown.length <= 255 ? withBreakdown : clip(description, 255),
    payload: invoicePayload(p.id), currency: p.currency, prices: [{ label: clip(label, 64), amount: amount.amount }], ...receipt,
  };
}

/** The payment's invoice in the chat, once per amount: a payment shrunk by points gets a new one. */
export async function sendInvoice(ctx: PluginContext, trx: Tx, tenantId: string, p: PaymentRow, cfg: PrepaymentConfig) {
  await ctx.messages.send(trx, {
    tenantId, to: { contactId: p.contact_id }, channels: ['telegram'], purpose: 'transactional', idempotencyKey: `prepayment-invoice:${p.id}:${Number(p.amount)}`,
    message: { text: everyLanguage(ctx, 'invoiceText'), invoice: await invoiceFor(ctx, trx, tenantId, p, cfg) },
  });
}

/** What the provider said was paid; checked against the payment before it counts. */
export interface Paid {
  amount: Money;
  providerPaymentId?: string;
  telegramChargeId?: string;
  providerChargeId?: string;
}

/**
 * The money arrived: the payment succeeds once (a replayed or late notification finds it done), the ledger
 * gets it, and a prepayment's booking is confirmed by a job (which refunds it when the hold ran out meanwhile).
 * An amount other than the payment's is not taken as paying it: staff get a task.
 */
export async function markPaid(ctx: PluginContext, tenantId: string, paymentId: string, paid: Paid): Promise<'paid' | 'already' | 'mismatch' | 'unknown'> {
  return ctx.transaction(async (trx) => {
    const p = await trx.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', paymentId).forUpdate().executeTakeFirst() as PaymentRow | undefined;
    if (!p) return 'unknown';
    if (p.status === 'succeeded') return 'already';
    if (paid.amount.amount !== Number(p.amount) || paid.amount.currency !== p.currency) {
      await ctx.tasks.create(trx, tenantId, {
        kind: 'payment-mismatch', key: `payment-mismatch:${p.id}`, title: everyLanguage(ctx, 'taskPaymentMismatch'), contactId: p.contact_id, bookingId: p.booking_id, roles: ['owner', 'admin'],
        data: { paymentId: p.id, expected: Number(p.amount), got: paid.amount },
      });
      return 'mismatch';
    }
    const now = ctx.now();
    await trx.updateTable('prepayment_payments').set({
      status: 'succeeded', paid_at: now, provider_payment_id: paid.providerPaymentId ?? p.provider_payment_id,
      telegram_charge_id: paid.telegramChargeId ?? null, provider_charge_id: paid.providerChargeId ?? null,
    }).where('tenant_id', '=', tenantId).where('id', '=', p.id).execute();
    await record(trx, {
      tenantId, kind: p.purpose === 'tip' ? 'tip' : 'payment', amount: Number(p.amount), currency: p.currency, method: p.provider, bookingId: p.booking_id, contactId: p.contact_id,
      serviceId: p.service_id, specialistId: p.specialist_id, paymentId: p.id, sourceKey: `payment:${p.id}`, at: now,
    });
    await ctx.events.emit(trx, tenantId, 'prepayment.payment-succeeded', { paymentId: p.id, bookingId: p.booking_id, contactId: p.contact_id, purpose: p.purpose, amount: { amount: Number(p.amount), currency: p.currency }, provider: p.provider });
    if (p.purpose === 'prepayment') await ctx.jobs.now('confirm-booking', { paymentId: p.id }, { tenantId, key: `confirm:${p.id}`, trx });
    else await thank(ctx, trx, tenantId, p, 'tipThanks');
    return 'paid';
  });
}

/** A thank-you to the payer; with `breakdown`, the booking's price, tenders and what is left to pay at the visit below it. */
export async function thank(ctx: PluginContext, trx: Tx, tenantId: string, p: PaymentRow, key: string, breakdown?: PriceBreakdown) {
  const say = (l: Locale) => [ctx.t(l, key), ...(breakdown ? ['', ...breakdownLines(ctx, l, breakdown)] : [])].join('\n');
  const text = { en: say('en'), ru: say('ru'), uk: say('uk') };
  await ctx.messages.send(trx, { tenantId, to: { contactId: p.contact_id }, purpose: 'transactional', idempotencyKey: `prepayment-${key}:${p.id}`, message: { text } });
}
