import crypto from 'node:crypto';
import type { PaymentProvider, ProviderPayment, ProviderRefund } from '../contract.js';
import { callJson } from './http.js';

export interface StripeKeys {
  secretKey: string;
  webhookSecret?: string;
}

/** How far a signed notification's timestamp may be from now (Stripe's default). */
const TOLERANCE_S = 300;
const STATUS: Record<string, ProviderPayment['status']> = { succeeded: 'succeeded', canceled: 'canceled', requires_capture: 'waiting_for_capture' };
const REFUND_STATUS: Record<string, ProviderRefund['status']> = { succeeded: 'succeeded', failed: 'canceled', canceled: 'canceled' };

const intent = (p: any): ProviderPayment => ({
  providerPaymentId: String(p.id), status: STATUS[p.status] ?? 'pending', amount: { amount: Number(p.amount), currency: String(p.currency).toUpperCase() },
  ...(p.metadata?.orderId ? { orderId: String(p.metadata.orderId) } : {}),
  ...(p.client_secret ? { confirmation: { kind: 'embedded' as const, token: String(p.client_secret) } } : {}),
});
const refund = (r: any): ProviderRefund => ({ providerRefundId: String(r.id), providerPaymentId: String(r.payment_intent), status: REFUND_STATUS[r.status] ?? 'pending', amount: { amount: Number(r.amount), currency: String(r.currency).toUpperCase() } });

/** `Stripe-Signature: t=…,v1=…`: v1 = HMAC-SHA256(secret, `${t}.${rawBody}`), t within the tolerance of now. */
export function stripeSignatureValid(header: string | undefined, rawBody: string, secret: string, now: Date): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const given = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (!Number.isFinite(t) || !given.length || Math.abs(now.getTime() / 1000 - t) > TOLERANCE_S) return false;
  const expected = Buffer.from(crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  return given.some((v) => v.length === expected.length && crypto.timingSafeEqual(Buffer.from(v), expected));
}

/** Stripe: PaymentIntents and refunds, form-encoded, an Idempotency-Key on every POST; webhooks signed over the raw body. */
export function stripe(keys: StripeKeys, apiRoot: string): PaymentProvider {
  const call = (method: string, path: string, form?: Record<string, string>, idempotencyKey?: string) => callJson('stripe', `${apiRoot}/v1${path}`, {
    method, headers: { authorization: `Bearer ${keys.secretKey}`, 'content-type': 'application/x-www-form-urlencoded', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey.slice(0, 255) } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  return {
    id: 'stripe',
    create: async (input) => intent(await call('POST', '/payment_intents', {
      amount: String(input.amount.amount), currency: input.amount.currency.toLowerCase(), description: input.description, 'metadata[orderId]': input.orderId,
    }, input.orderId)),
    capture: async (id, m) => intent(await call('POST', `/payment_intents/${encodeURIComponent(id)}/capture`, { amount_to_capture: String(m.amount) }, `capture-${id}`)),
    status: async (id) => intent(await call('GET', `/payment_intents/${encodeURIComponent(id)}`)),
    refund: async (input) => refund(await call('POST', '/refunds', { payment_intent: input.providerPaymentId, amount: String(input.amount.amount) }, input.key)),
    refundStatus: async (id) => refund(await call('GET', `/refunds/${encodeURIComponent(id)}`)),
    async verify(n, now) {
      const header = n.headers['stripe-signature'];
      if (!keys.webhookSecret || !stripeSignatureValid(Array.isArray(header) ? header[0] : header, n.rawBody, keys.webhookSecret, now)) return null;
      const event = JSON.parse(n.rawBody);
      const obj = event?.data?.object;
      if (typeof event?.type !== 'string' || !obj) return null;
      if (event.type.startsWith('payment_intent.')) return { payment: intent(obj) };
      if (event.type.startsWith('refund.') || event.type === 'charge.refund.updated') return { refund: refund(obj) };
      return {};
    },
  };
}
