import type { PluginContext } from '../../../plugin-sdk.js';
import type { PaymentConfirmation, ProviderId, ProviderNotification, ProviderPayment, ProviderRefund } from '../contract.js';
import { gateway, prepaymentConfig, refunder, type PrepaymentConfig } from './config.js';
import { invoiceFor, loadPayment, markPaid, type PaymentRow } from './payments.js';
import { settleRefund } from './refunds.js';
import { everyLanguage } from './text.js';

/**
 * Opens the payment where the client pays it away from a chat and sends them its page: a Telegram invoice link
 * (`createInvoiceLink`, for the Mini App and the widget) or a card gateway's payment, under our payment's id as the
 * idempotency key. Run by the `create-link` job and, for the widget's answer, by the public booking route: either
 * may come first, the page is stored and sent once. Answers how to pay; undefined when the payment is no longer open.
 */
export async function createLink(ctx: PluginContext, tenantId: string, paymentId: string): Promise<PaymentConfirmation | undefined> {
  const cfg = await prepaymentConfig(ctx, tenantId);
  // The payment's row stays locked while the provider is asked: the job and the public answer, arriving together,
  // would otherwise open two links (or two gateway payments, were the gateway's idempotency racy).
  return ctx.transaction(async (trx) => {
    const p = await trx.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', paymentId).forUpdate().executeTakeFirst() as PaymentRow | undefined;
    if (!p || p.status !== 'pending') return undefined;
    if (p.confirmation_url) return { kind: 'redirect', url: p.confirmation_url };
    const opened = p.provider === 'telegram' ? await telegramLink(ctx, tenantId, p, cfg) : await gatewayPayment(ctx, tenantId, p, cfg);
    const url = opened.confirmation?.kind === 'redirect' ? opened.confirmation.url : null;
    await trx.updateTable('prepayment_payments').set({ provider_payment_id: opened.providerPaymentId, confirmation_url: url }).where('tenant_id', '=', tenantId).where('id', '=', p.id).execute();
    // An embedded confirmation (Stripe's client secret) is for the widget, which has it in its answer; a page is sent.
    if (url) {
      await ctx.messages.send(trx, {
        tenantId, to: { contactId: p.contact_id }, purpose: 'transactional', idempotencyKey: `prepayment-link:${p.id}`,
        message: { text: everyLanguage(ctx, p.purpose === 'tip' ? 'tipLinkText' : 'linkText', { minutes: cfg.paymentWindowMinutes }), buttons: [[{ label: everyLanguage(ctx, 'payButton'), url }]] },
      });
    }
    return opened.confirmation;
  });
}

/** The invoice as a link of the business's bot; paying it runs the chat invoice's pre-checkout and fulfilment. */
async function telegramLink(ctx: PluginContext, tenantId: string, p: PaymentRow, cfg: PrepaymentConfig): Promise<{ providerPaymentId: string | null; confirmation?: PaymentConfirmation }> {
  const link = await ctx.messages.telegramInvoiceLink(tenantId, await invoiceFor(ctx, ctx.db, tenantId, p, cfg));
  if (!link) throw ctx.error('BF_ERR_PREPAYMENT_PROVIDER_NOT_CONFIGURED', { provider: 'telegram' });
  return { providerPaymentId: null, confirmation: { kind: 'redirect', url: link.url } };
}

async function gatewayPayment(ctx: PluginContext, tenantId: string, p: PaymentRow, cfg: PrepaymentConfig): Promise<{ providerPaymentId: string | null; confirmation?: PaymentConfirmation }> {
  const gw = gateway(ctx, cfg, p.provider as Exclude<ProviderId, 'telegram'>);
  if (!gw) throw ctx.error('BF_ERR_PREPAYMENT_PROVIDER_NOT_CONFIGURED', { provider: p.provider });
  const [service] = await ctx.service('booking').services(tenantId, [p.service_id]);
  const amount = { amount: Number(p.amount), currency: p.currency };
  const created = await gw.create({
    orderId: p.id, amount, description: service?.name ?? p.purpose,
    ...(cfg.telegram.sendReceipt && service ? { receipt: [{ description: service.name, amount, vatCode: cfg.telegram.vatCode }] } : {}),
  });
  return { providerPaymentId: created.providerPaymentId, confirmation: created.confirmation };
}

async function paymentOf(ctx: PluginContext, tenantId: string, provider: string, pay: ProviderPayment): Promise<PaymentRow | undefined> {
  const byOrder = pay.orderId && /^[0-9a-f-]{36}$/.test(pay.orderId) ? await loadPayment(ctx.db, tenantId, pay.orderId) : undefined;
  if (byOrder && byOrder.provider === provider) return byOrder;
  return await ctx.db.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', tenantId).where('provider', '=', provider).where('provider_payment_id', '=', pay.providerPaymentId).executeTakeFirst() as PaymentRow | undefined;
}

async function onPayment(ctx: PluginContext, tenantId: string, provider: 'yookassa' | 'stripe', pay: ProviderPayment): Promise<void> {
  const p = await paymentOf(ctx, tenantId, provider, pay);
  if (!p || p.status === 'succeeded') return;
  let now = pay;
  if (pay.status === 'waiting_for_capture') now = await gateway(ctx, await prepaymentConfig(ctx, tenantId), provider)!.capture(pay.providerPaymentId, pay.amount);
  if (now.status === 'succeeded') await markPaid(ctx, tenantId, p.id, { amount: now.amount, providerPaymentId: now.providerPaymentId });
  else if (now.status === 'canceled') {
    await ctx.db.updateTable('prepayment_payments').set({ status: 'canceled' }).where('tenant_id', '=', tenantId).where('id', '=', p.id).where('status', '=', 'pending').execute();
  }
}

/** A refund the gateway reports done: ours by its id, or (it came before our call's answer) the pending one of that payment and amount. */
async function onRefund(ctx: PluginContext, tenantId: string, refund: ProviderRefund): Promise<void> {
  if (refund.status !== 'succeeded') return;
  await ctx.transaction(async (trx) => {
    const ours = await trx.selectFrom('prepayment_refunds as r').innerJoin('prepayment_payments as p', (j) => j.onRef('p.tenant_id', '=', 'r.tenant_id').onRef('p.id', '=', 'r.payment_id'))
      .select(['r.id', 'r.provider_refund_id']).where('r.tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('r.provider_refund_id', '=', refund.providerRefundId), eb.and([
        eb('r.provider_refund_id', 'is', null), eb('r.status', '=', 'pending'), eb('r.amount', '=', refund.amount.amount),
        eb.or([eb('p.provider_payment_id', '=', refund.providerPaymentId), eb('p.provider_charge_id', '=', refund.providerPaymentId)]),
      ])])).orderBy('r.created_at').forUpdate().executeTakeFirst();
    if (ours) await settleRefund(ctx, trx, tenantId, ours.id, refund.providerRefundId);
  });
}

/**
 * A gateway's notification: only what the gateway proves is acted on (YooKassa's object read back from its API,
 * Stripe's signature over the raw body), and acting is idempotent, so forged, replayed and out-of-order ones change
 * nothing. False when it proved nothing.
 */
export async function handleNotification(ctx: PluginContext, tenantId: string, provider: 'yookassa' | 'stripe', n: ProviderNotification): Promise<boolean> {
  const cfg = await prepaymentConfig(ctx, tenantId);
  // Telegram payments refunded through this gateway report here too.
  const gw = gateway(ctx, cfg, provider) ?? refunder(ctx, cfg, 'telegram');
  if (!gw || gw.id !== provider) return false;
  const said = await gw.verify(n, ctx.now());
  if (!said) return false;
  if (said.payment) await onPayment(ctx, tenantId, provider, said.payment);
  if (said.refund) await onRefund(ctx, tenantId, said.refund);
  return true;
}
