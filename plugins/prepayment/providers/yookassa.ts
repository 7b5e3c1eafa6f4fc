import type { Money } from '../../../plugin-sdk.js';
import type { PaymentProvider, ProviderPayment, ProviderRefund } from '../contract.js';
import { fromDecimal, toDecimal } from '../lib/money.js';
import { callJson, ProviderHttpError } from './http.js';

export interface YooKassaKeys {
  shopId: string;
  secretKey: string;
  returnUrl?: string;
}

const payment = (p: any): ProviderPayment => ({
  providerPaymentId: String(p.id), status: p.status, amount: fromDecimal(p.amount.value, p.amount.currency),
  ...(p.metadata?.orderId ? { orderId: String(p.metadata.orderId) } : {}),
  ...(p.confirmation?.confirmation_url ? { confirmation: { kind: 'redirect' as const, url: p.confirmation.confirmation_url } } : {}),
  ...(p.confirmation?.confirmation_token ? { confirmation: { kind: 'embedded' as const, token: p.confirmation.confirmation_token } } : {}),
});
const refund = (r: any): ProviderRefund => ({ providerRefundId: String(r.id), providerPaymentId: String(r.payment_id), status: r.status, amount: fromDecimal(r.amount.value, r.amount.currency) });

/**
 * YooKassa API v3: Basic shopId:secretKey, an Idempotence-Key on every POST (the same key answers the same
 * result). Notifications carry no signature: one is believed only by reading its object back from the API.
 */
export function yookassa(keys: YooKassaKeys, apiRoot: string): PaymentProvider {
  const auth = `Basic ${Buffer.from(`${keys.shopId}:${keys.secretKey}`).toString('base64')}`;
  const call = (method: string, path: string, body?: unknown, idempotenceKey?: string) => callJson('yookassa', `${apiRoot}/v3${path}`, {
    method, headers: { authorization: auth, 'content-type': 'application/json', ...(idempotenceKey ? { 'idempotence-key': idempotenceKey } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const amount = (m: Money) => ({ value: toDecimal(m), currency: m.currency });
  const self: PaymentProvider = {
    id: 'yookassa',
    async create(input) {
      return payment(await call('POST', '/payments', {
        amount: amount(input.amount), capture: true, description: input.description.slice(0, 128), metadata: { orderId: input.orderId },
        confirmation: { type: 'redirect', return_url: input.returnUrl ?? keys.returnUrl ?? 'https://yookassa.ru' },
        ...(input.receipt ? { receipt: { items: input.receipt.map((i) => ({ description: i.description.slice(0, 128), quantity: '1.00', amount: amount(i.amount), vat_code: i.vatCode })) } } : {}),
      }, input.orderId));
    },
    capture: async (id, m) => payment(await call('POST', `/payments/${encodeURIComponent(id)}/capture`, { amount: amount(m) }, `capture-${id}`)),
    status: async (id) => payment(await call('GET', `/payments/${encodeURIComponent(id)}`)),
    refund: async (input) => refund(await call('POST', '/refunds', { payment_id: input.providerPaymentId, amount: amount(input.amount) }, input.key)),
    refundStatus: async (id) => refund(await call('GET', `/refunds/${encodeURIComponent(id)}`)),
    async verify(n) {
      let body: any;
      try { body = JSON.parse(n.rawBody); } catch { return null; }
      const id = body?.object?.id;
      if (body?.type !== 'notification' || typeof body.event !== 'string' || typeof id !== 'string' || id.length > 100) return null;
      try {
        // What the notification claims is not taken: the API says what the object is now.
        if (body.event.startsWith('payment.')) return { payment: await self.status(id) };
        if (body.event.startsWith('refund.')) return { refund: await self.refundStatus(id) };
        return null;
      } catch (e) {
        if (e instanceof ProviderHttpError && e.status === 404) return null;
        throw e;
      }
    },
  };
  return self;
}
