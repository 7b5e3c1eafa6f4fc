import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { PluginContext } from '../../../plugin-sdk.js';
import { handleNotification } from '../lib/gateways.js';
import { prepaymentConfig } from '../lib/config.js';

const Params = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }) });
/** YooKassa's published notification sources. */
const YOOKASSA_RANGES = ['185.71.76.0/27', '185.71.77.0/27', '77.75.153.0/25', '77.75.154.128/25', '77.75.156.11/32', '77.75.156.35/32', '2a02:5180::/32'].map((r) => ipaddr.parseCIDR(r));

function fromYooKassa(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  return YOOKASSA_RANGES.some(([range, bits]) => addr.kind() === range.kind() && addr.match(range, bits));
}

/**
 * The gateways' notifications, public (they sign, or are read back), each answering 200 once handled so the
 * gateway stops retrying. Stripe signs the raw body, which core's JSON parser keeps (`request.rawBody`).
 */
export async function webhookRoutes(app: FastifyInstance, ctx: PluginContext): Promise<void> {
  await app.register(async (hooks) => {
    const config = { roles: 'public' as const, badStrings: 'replace' as const, rateLimit: { max: 600, timeWindow: '1 minute' } };
    const notification = (request: FastifyRequest) => ({ rawBody: request.rawBody ?? '', headers: request.headers, ip: request.ip });

    hooks.post<{ Params: Static<typeof Params> }>('/public/:tenant/prepayment/yookassa', { schema: { tags: ['prepayment'], summary: 'YooKassa notifications (trusted only after reading the object back from the API)', params: Params }, config }, async (request, reply) => {
      const cfg = await prepaymentConfig(ctx, request.tenantId);
      if (cfg.yookassa.checkSourceAddress && !fromYooKassa(request.ip)) throw ctx.error('BF_ERR_PREPAYMENT_SOURCE_FORBIDDEN');
      await handleNotification(ctx, request.tenantId, 'yookassa', notification(request));
      return reply.status(200).send({ ok: true });
    });

    hooks.post<{ Params: Static<typeof Params> }>('/public/:tenant/prepayment/stripe', { schema: { tags: ['prepayment'], summary: 'Stripe webhooks (Stripe-Signature over the raw body, 5 minutes tolerance)', params: Params }, config }, async (request, reply) => {
      if (!(await handleNotification(ctx, request.tenantId, 'stripe', notification(request)))) throw ctx.error('BF_ERR_PREPAYMENT_SIGNATURE_INVALID', { field: '/headers/stripe-signature' });
      return reply.status(200).send({ received: true });
    });
  });
}
