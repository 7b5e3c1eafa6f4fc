/**
 * A local stand-in for YooKassa API v3 over HTTP: point YOOKASSA_API_ROOT at `url`. It checks HTTP Basic
 * shopId:secretKey and the Idempotence-Key of every POST (the same key answers the first result), keeps
 * payments and refunds, lets a test pay a payment (`pay`, as the client on YooKassa's page would), and posts
 * notifications (`notify`) — YooKassa signs none, so the receiver must read the object back.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import { HttpStandIn } from './http-standin.js';

export interface YooPayment { id: string; status: string; amount: { value: string; currency: string }; metadata?: Record<string, string>; paid: boolean; confirmation?: Record<string, string>; description?: string; refunded_amount?: { value: string; currency: string } }
export interface YooRefund { id: string; payment_id: string; status: string; amount: { value: string; currency: string } }

export class YooKassaStandIn extends HttpStandIn {
  readonly payments = new Map<string, YooPayment>();
  readonly refunds = new Map<string, YooRefund>();
  readonly calls: Array<{ method: string; path: string; body: any; idempotenceKey?: string; status: number }> = [];
  /** the next refunds answer 500 this many times */
  failRefunds = 0;
  /** refunds stay `pending` until `settleRefund` (as for methods whose refunds take time) */
  refundsPending = false;
  private readonly keys = new Map<string, { status: number; body: unknown }>();

  constructor(readonly shopId: string, readonly secretKey: string) {
    super();
  }

  static start(shopId = '123456', secretKey = 'test_secret_key_0123456789'): Promise<YooKassaStandIn> {
    return new YooKassaStandIn(shopId, secretKey).listen();
  }

  /** The client paid on YooKassa's page. */
  pay(id: string): YooPayment {
    const p = this.payments.get(id)!;
    p.status = 'succeeded';
    p.paid = true;
    return p;
  }

  settleRefund(id: string): YooRefund {
    const r = this.refunds.get(id)!;
    r.status = 'succeeded';
    return r;
  }

  /** Posts a notification the way YooKassa does (JSON, no signature) and answers the receiver's status. */
  async notify(target: string, event: string, object: unknown): Promise<number> {
    const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'notification', event, object }) });
    await res.arrayBuffer();
    return res.status;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = raw ? JSON.parse(raw) : undefined;
    const key = req.headers['idempotence-key'] as string | undefined;
    const send = (status: number, out: unknown) => {
      this.calls.push({ method: req.method ?? '', path, body, idempotenceKey: key, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    };
    const expected = `Basic ${Buffer.from(`${this.shopId}:${this.secretKey}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return send(401, { type: 'error', code: 'invalid_credentials', description: 'Authentication by given credentials failed' });
    if (req.method === 'POST') {
      if (!key) return send(400, { type: 'error', code: 'invalid_request', description: 'Idempotence key not specified' });
      const seen = this.keys.get(`${path}:${key}`);
      if (seen) return send(seen.status, seen.body);
    }
    const remember = (status: number, out: unknown) => {
      if (req.method === 'POST' && status < 500) this.keys.set(`${path}:${key}`, { status, body: out });
      send(status, out);
    };
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/v3/payments') {
      const id = crypto.randomUUID();
      const p: YooPayment = { id, status: body.capture === false ? 'pending' : 'pending', amount: body.amount, metadata: body.metadata, paid: false, description: body.description, confirmation: { type: 'redirect', confirmation_url: `https://yoomoney.ru/checkout/payments/v2/contract?orderId=${id}` } };
      this.payments.set(id, p);
      return remember(200, p);
    }
    if ((m = /^\/v3\/payments\/([^/]+)\/capture$/.exec(path)) && req.method === 'POST') {
      const p = this.payments.get(m[1]);
      if (!p) return remember(404, { type: 'error', code: 'not_found' });
      p.status = 'succeeded';
      return remember(200, p);
    }
    if ((m = /^\/v3\/payments\/([^/]+)$/.exec(path)) && req.method === 'GET') {
      const p = this.payments.get(m[1]);
      return p ? send(200, p) : send(404, { type: 'error', code: 'not_found', description: 'Payment not found' });
    }
    if (req.method === 'POST' && path === '/v3/refunds') {
      if (this.failRefunds > 0) {
        this.failRefunds--;
        return send(500, { type: 'error', code: 'internal_server_error' });
      }
      const p = this.payments.get(body.payment_id);
      if (!p || p.status !== 'succeeded') return remember(400, { type: 'error', code: 'invalid_request', description: 'Payment not succeeded' });
      const already = [...this.refunds.values()].filter((r) => r.payment_id === p.id && r.status !== 'canceled').reduce((a, r) => a + Number(r.amount.value), 0);
      if (already + Number(body.amount.value) > Number(p.amount.value) + 1e-9) return remember(400, { type: 'error', code: 'invalid_request', description: 'Refund amount exceeds payment' });
      const r: YooRefund = { id: crypto.randomUUID(), payment_id: p.id, status: this.refundsPending ? 'pending' : 'succeeded', amount: body.amount };
      this.refunds.set(r.id, r);
      return remember(200, r);
    }
    if ((m = /^\/v3\/refunds\/([^/]+)$/.exec(path)) && req.method === 'GET') {
      const r = this.refunds.get(m[1]);
      return r ? send(200, r) : send(404, { type: 'error', code: 'not_found' });
    }
    return send(404, { type: 'error', code: 'not_found', description: `${req.method} ${path}` });
  }
}
