/**
 * A local stand-in for Stripe's API over HTTP (PaymentIntents, refunds; form-encoded, Bearer secret key,
 * Idempotency-Key): point STRIPE_API_ROOT at `url`. `webhook` posts an event signed the way Stripe signs
 * (`Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`), or forged / stale when asked.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import { HttpStandIn } from './http-standin.js';

export class StripeStandIn extends HttpStandIn {
  readonly intents = new Map<string, Record<string, any>>();
  readonly refunds = new Map<string, Record<string, any>>();
  private readonly keys = new Map<string, unknown>();

  constructor(readonly secretKey: string) {
    super();
  }

  static start(secretKey = 'sk_test_standin_0123456789'): Promise<StripeStandIn> {
    return new StripeStandIn(secretKey).listen();
  }

  /** The header Stripe would send for this body at `t` (seconds). */
  static signature(secret: string, body: string, t: number): string {
    return `t=${t},v1=${crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
  }

  /** Posts an event to the endpoint; `secret` signs it (a wrong one forges it), `at` dates the signature. */
  async webhook(target: string, event: Record<string, unknown>, opts: { secret: string; at: Date; tamper?: boolean }): Promise<{ status: number; body: any }> {
    const body = JSON.stringify(event);
    const header = StripeStandIn.signature(opts.secret, body, Math.floor(opts.at.getTime() / 1000));
    // A tampered body keeps the signature of the original.
    const sent = opts.tamper ? body.replace(/"amount":(\d+)/, (_m, n) => `"amount":${Number(n) * 10}`) : body;
    const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: sent });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, out: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    };
    if (req.headers.authorization !== `Bearer ${this.secretKey}`) return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const key = req.headers['idempotency-key'] as string | undefined;
    if (req.method === 'POST' && key && this.keys.has(`${path}:${key}`)) return send(200, this.keys.get(`${path}:${key}`));
    const remember = (out: unknown) => {
      if (key) this.keys.set(`${path}:${key}`, out);
      send(200, out);
    };
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/v1/payment_intents') {
      const id = `pi_${crypto.randomBytes(8).toString('hex')}`;
      const pi = { id, object: 'payment_intent', amount: Number(form.amount), currency: form.currency, status: 'requires_payment_method', client_secret: `${id}_secret_${crypto.randomBytes(6).toString('hex')}`, metadata: { orderId: form['metadata[orderId]'] } };
      this.intents.set(id, pi);
      return remember(pi);
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)) && req.method === 'GET') {
      const pi = this.intents.get(m[1]);
      return pi ? send(200, pi) : send(404, { error: { type: 'invalid_request_error', code: 'resource_missing' } });
    }
    if (req.method === 'POST' && path === '/v1/refunds') {
      const pi = this.intents.get(form.payment_intent);
      if (!pi) return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing' } });
      const r = { id: `re_${crypto.randomBytes(8).toString('hex')}`, object: 'refund', amount: Number(form.amount), currency: pi.currency, payment_intent: pi.id, status: 'succeeded' };
      this.refunds.set(r.id, r);
      return remember(r);
    }
    return send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
  }

  /** The client paid the intent (Stripe.js confirmed it). */
  succeed(id: string): Record<string, any> {
    const pi = this.intents.get(id)!;
    pi.status = 'succeeded';
    return pi;
  }
}
