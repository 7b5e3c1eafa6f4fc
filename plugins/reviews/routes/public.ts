import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Locale, PluginContext } from '../../../plugin-sdk.js';
import { reviewsConfig } from '../lib/config.js';
import { hashToken } from '../lib/links.js';
import { esc, page } from '../lib/html.js';
import { publicReviews } from '../lib/queries.js';
import { clientFeedback } from '../lib/publish.js';
import { rate } from '../lib/rating.js';

const Tenant = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }) });
const TokenParams = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }), token: Type.String({ pattern: '^[A-Za-z0-9_-]{32}$' }) });
const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) }, { additionalProperties: false });
const RateQuery = Type.Object({ rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })) }, { additionalProperties: false });
// The page's form posts strings (application/x-www-form-urlencoded); API clients may send the same as JSON.
const RateBody = Type.Object({
  rating: Type.Optional(Type.String({ pattern: '^[1-5]$' })),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  publish: Type.Optional(Type.Literal('on')),
}, { additionalProperties: false });
const LIMIT = { max: 60, timeWindow: '1 minute' };
// The block is framed by the business's own website: any ancestor, but nothing of ours runs in it but HTML and CSS.
const EMBED_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors *; base-uri 'none'; form-action 'none'";
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const html = (reply: FastifyReply, status: number, csp: string, body: string) =>
  reply.status(status).header('cache-control', 'no-store').header('content-security-policy', csp).type('text/html; charset=utf-8').send(body);

/** What anyone may see of a published review: no contact, no phone, a first name and initial. */
async function listPublished(ctx: PluginContext, tenantId: string, limit: number, offset: number) {
  const rows = await publicReviews(ctx.db, tenantId).select(['id', 'rating', 'comment', 'author', 'reply', 'service_id', 'resource_ids', 'visit_start'])
    .orderBy('visit_start', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  const summary = await publicReviews(ctx.db, tenantId).select((eb) => [eb.fn.avg<string>('rating').as('average'), eb.fn.countAll<string>().as('count')]).executeTakeFirstOrThrow();
  const names = await ctx.service('booking').names(tenantId, { serviceIds: [...new Set(rows.map((r) => r.service_id))], resourceIds: [...new Set(rows.flatMap((r) => r.resource_ids))] });
  return {
    average: summary.average === null ? null : Math.round(Number(summary.average) * 10) / 10,
    count: Number(summary.count),
    items: rows.map((r) => ({
      id: r.id, rating: r.rating, comment: r.comment, author: r.author, reply: r.reply, month: new Date(r.visit_start).toISOString().slice(0, 7),
      service: names.services.find((s) => s.id === r.service_id)?.name ?? '',
      specialists: names.resources.filter((x) => x.kind === 'staff' && r.resource_ids.includes(x.id)).map((x) => x.name),
    })),
  };
}

/** Published reviews for websites (JSON and an embeddable block) and the rating page an email or SMS links to. */
export function publicRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['public reviews'];
  const config = { roles: 'public' as const, rateLimit: LIMIT };

  app.get<{ Params: Static<typeof Tenant>; Querystring: Static<typeof ListQuery> }>('/public/:tenant/reviews', { schema: { tags, summary: 'Published reviews (first name and initial only) and their average', params: Tenant, querystring: ListQuery }, config }, async (request) =>
    listPublished(ctx, request.tenantId, request.query.limit ?? 20, request.query.offset ?? 0));

  app.get<{ Params: Static<typeof Tenant> }>('/public/:tenant/reviews/embed', { schema: { tags, summary: 'The reviews block for an <iframe> on the business\'s website: HTML and CSS, no scripts, no cookies', params: Tenant }, config }, async (request, reply) => {
    const business = await ctx.business(request.tenantId);
    const list = await listPublished(ctx, request.tenantId, 20, 0);
    const t = (key: string, vars?: Record<string, unknown>) => ctx.t(business.locale, key, vars);
    const items = list.items.map((r) => `<div class="review"><b>${'★'.repeat(r.rating)}${'☆'.repeat(5 - r.rating)}</b> ${esc(r.author)} <span class="muted">${esc([r.service, ...r.specialists].filter(Boolean).join(' · '))}</span>`
      + `${r.comment ? `<p>${esc(r.comment)}</p>` : ''}${r.reply ? `<p class="muted">${esc(t('embed.reply', { business: business.name }))}: ${esc(r.reply)}</p>` : ''}</div>`).join('');
    const head = list.count ? `<h2>★ ${list.average} · ${esc(t('embed.count', { count: list.count }))}</h2>` : `<p class="muted">${esc(t('embed.none'))}</p>`;
    reply.removeHeader('x-frame-options');
    return html(reply, 200, EMBED_CSP, page(business.locale, t('embed.title', { business: business.name }), head + items));
  });

  // A mail scanner fetching the link must not rate: GET shows the stars (the tapped one preselected), the form's POST rates.
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
    const url = '/public/:tenant/reviews/rate/:token';

    const request = async (tenantId: string, token: string) =>
      ctx.db.selectFrom('reviews_requests').select(['id', 'contact_id', 'booking_id']).where('tenant_id', '=', tenantId).where('token_hash', '=', hashToken(token)).executeTakeFirst();
    const view = async (tenantId: string, token: string) => {
      const business = await ctx.business(tenantId);
      const req = await request(tenantId, token);
      const contact = req && (await ctx.contacts.get(ctx.db, tenantId, req.contact_id));
      const locale: Locale = contact?.locale ?? business.locale;
      const review = req && (await ctx.db.selectFrom('reviews_reviews').select(['id', 'rating', 'comment', 'publish_consent']).where('tenant_id', '=', tenantId).where('booking_id', '=', req.booking_id).executeTakeFirst());
      return { business, req, locale, review, t: (key: string, vars?: Record<string, unknown>) => ctx.t(locale, key, vars) };
    };
    const form = (v: Awaited<ReturnType<typeof view>>, preset?: number, note?: string) => {
      const stars = v.review ? `<p><b>${'★'.repeat(v.review.rating)}</b></p>`
        : `<div class="stars">${[1, 2, 3, 4, 5].map((n) => `<button type="submit" name="rating" value="${n}"${n === preset ? ' autofocus' : ''}>${n === preset ? '⭐' : '☆'} ${n}</button>`).join('')}</div>`;
      return page(v.locale, v.t('page.title', { business: v.business.name }), `<h1>${esc(v.t('page.title', { business: v.business.name }))}</h1>${note ? `<p>${esc(note)}</p>` : ''}
<form method="post">${stars}<p><label>${esc(v.t('page.comment'))}<br><textarea name="comment" maxlength="2000">${esc(v.review?.comment ?? '')}</textarea></label></p>
<p><label><input type="checkbox" name="publish"${v.review?.publish_consent ? ' checked' : ''}> ${esc(v.t('page.consent'))}</label></p>
${v.review ? `<button type="submit">${esc(v.t('page.save'))}</button>` : ''}</form>`);
    };
    const invalid = (reply: FastifyReply, v: Awaited<ReturnType<typeof view>>) =>
      html(reply, 404, PAGE_CSP, page(v.locale, v.t('page.invalidTitle'), `<h1>${esc(v.t('page.invalidTitle'))}</h1><p>${esc(ctx.errorMessage(ctx.error('BF_ERR_REVIEWS_LINK_INVALID'), v.locale))}</p>`));

    scope.get<{ Params: Static<typeof TokenParams>; Querystring: Static<typeof RateQuery> }>(url, { schema: { tags, summary: 'The rating page of an email or SMS link (shows; does not rate)', params: TokenParams, querystring: RateQuery }, config }, async (req, reply) => {
      const v = await view(req.tenantId, req.params.token);
      if (!v.req) return invalid(reply, v);
      return html(reply, 200, PAGE_CSP, form(v, req.query.rating));
    });

    scope.post<{ Params: Static<typeof TokenParams>; Body: Static<typeof RateBody> }>(url, { schema: { tags, summary: 'Rates the visit of the link (once), adds the comment and the publishing consent', params: TokenParams, body: RateBody }, config }, async (req, reply) => {
      const tenantId = req.tenantId;
      const v = await view(tenantId, req.params.token);
      if (!v.req) return invalid(reply, v);
      const body = req.body ?? {};
      const note = await ctx.transaction(async (trx) => {
        const { autoPublishFrom } = await reviewsConfig(ctx, tenantId, trx);
        const outcome = !v.review && body.rating ? await rate(ctx, trx, tenantId, v.req!.id, Number(body.rating), v.locale) : null;
        const reviewId = outcome?.reviewId ?? v.review?.id;
        if (reviewId) await clientFeedback(ctx, trx, tenantId, reviewId, { comment: body.comment?.trim(), consent: body.publish === 'on' }, autoPublishFrom);
        return outcome ? outcome.reply.text : reviewId ? v.t('page.saved') : undefined;
      });
      return html(reply, 200, PAGE_CSP, form(await view(tenantId, req.params.token), undefined, typeof note === 'string' ? note : note && (note[v.locale] ?? note.en)));
    });
  });
}
