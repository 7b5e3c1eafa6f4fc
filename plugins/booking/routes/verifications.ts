import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Locale, PluginContext } from '../../../plugin-sdk.js';
import { bookingConfig } from '../lib/config.js';
import { confirmVerification, requestVerification, toContact } from '../lib/verification.js';
import { publicConfig } from './public.js';
import { Phone, Uuid } from './schemas.js';

const Tenant = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }) });
const TenantAndId = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }), id: Uuid });
const RequestBody = Type.Union([
  Type.Object({ phone: Phone }, { additionalProperties: false }),
  Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false }),
]);
const ConfirmBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false });
const Locales = Type.Object({ locale: Type.Optional(Type.Union([Type.Literal('ru'), Type.Literal('en'), Type.Literal('uk')])) });

/** One-time codes proving a phone or email, for the public waitlist and bookings (`verificationToken`). */
export function verificationRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['public booking'];
  const config = publicConfig(ctx);

  app.post<{ Params: Static<typeof Tenant>; Body: Static<typeof RequestBody>; Querystring: Static<typeof Locales> }>('/public/:tenant/verifications', {
    schema: { tags, summary: 'Send a one-time code to a phone or email (the code is never in the response)', params: Tenant, querystring: Locales, body: RequestBody }, config,
  }, async (request, reply) => {
    const { tenantId } = request;
    const contact = await toContact(ctx, tenantId, request.body as { phone?: string; email?: string });
    const locale = (request.query.locale ?? (await ctx.business(tenantId)).locale) as Locale;
    return reply.status(201).send(await requestVerification(ctx, tenantId, contact, request.ip, locale));
  });

  app.post<{ Params: Static<typeof TenantAndId>; Body: Static<typeof ConfirmBody> }>('/public/:tenant/verifications/:id/confirm', {
    schema: { tags, summary: 'Confirm the code: a verificationToken for the waitlist and bookings (valid 30 minutes)', params: TenantAndId, body: ConfirmBody }, config,
  }, async (request) => confirmVerification(ctx, request.tenantId, request.params.id, request.body.code));
}
