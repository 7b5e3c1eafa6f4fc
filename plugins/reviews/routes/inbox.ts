import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { everyLanguage, reviewsConfig } from '../lib/config.js';
import { reviewsQuery } from '../lib/queries.js';
import { publishReview } from '../lib/publish.js';
import { mediaOf } from '../lib/media.js';
import { CHANNEL_POSTERS, channelTarget } from './channel.js';

const Uuid = Type.String({ format: 'uuid' });
const Day = Type.String({ format: 'date-time' });
const ListQuery = Type.Object({
  /** ratings to keep, comma-separated: `1,2` */
  rating: Type.Optional(Type.String({ pattern: '^[1-5](,[1-5]){0,4}$' })),
  resourceId: Type.Optional(Uuid),
  serviceId: Type.Optional(Uuid),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  status: Type.Optional(Type.Union([Type.Literal('new'), Type.Literal('published'), Type.Literal('hidden')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
}, { additionalProperties: false });
const IdParam = Type.Object({ id: Uuid });
const StatusBody = Type.Object({ status: Type.Union([Type.Literal('new'), Type.Literal('published'), Type.Literal('hidden')]) }, { additionalProperties: false });
const ReplyBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }) }, { additionalProperties: false });
const STAFF = ['owner', 'admin', 'manager'] as const;
const COLUMNS = ['id', 'booking_id as bookingId', 'contact_id as contactId', 'service_id as serviceId', 'resource_ids as resourceIds', 'visit_start as visitStart', 'rating', 'comment', 'author',
  'publish_consent as publishConsent', 'status', 'reply', 'replied_at as repliedAt', 'posted_at as postedAt', 'channel_posted_at as channelPostedAt', 'created_at as createdAt'] as const;

const SHARERS = ['owner', 'admin'] as const;

/** What POST …/post needs (else it answers 409): broadcasts on and an audience segment set; the studio asks first. */
async function sharingReady(ctx: PluginContext, tenantId: string): Promise<boolean> {
  const { channelSegmentId } = await reviewsConfig(ctx, tenantId);
  return !!channelSegmentId && !!(await ctx.optionalService('broadcasts', tenantId));
}

const findReview = async (ctx: PluginContext, tenantId: string, id: string) => {
  const row = await ctx.db.selectFrom('reviews_reviews').select(COLUMNS).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!row) throw ctx.error('BF_ERR_REVIEWS_NOT_FOUND', { id });
  return row;
};

/** The studio's review inbox: filter, hide or publish, reply to the client through the outbox, share to an audience. */
export function inboxRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['reviews'];
  const config = { roles: STAFF };

  app.get<{ Querystring: Static<typeof ListQuery> }>('/reviews', { schema: { tags, summary: 'Reviews, newest first, with the names of clients, services and specialists', querystring: ListQuery }, config }, async (request) => {
    const { tenantId, query } = request;
    const base = reviewsQuery(ctx.db, tenantId, { ...query, rating: query.rating?.split(',').map(Number) });
    const [rows, total] = await Promise.all([
      base.select(COLUMNS).orderBy('created_at', 'desc').orderBy('id').limit(query.limit ?? 50).offset(query.offset ?? 0).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const names = await ctx.service('booking').names(tenantId, { serviceIds: [...new Set(rows.map((r) => r.serviceId))], resourceIds: [...new Set(rows.flatMap((r) => r.resourceIds))] });
    const contacts = new Map((await ctx.contacts.getMany(ctx.db, tenantId, [...new Set(rows.map((r) => r.contactId))])).map((c) => [c.id, c.name]));
    const media = await mediaOf(ctx.db, tenantId, rows.map((r) => r.id));
    const role = request.auth!.role as (typeof SHARERS)[number];
    return {
      total: Number(total.n),
      canShare: SHARERS.includes(role) && (await sharingReady(ctx, tenantId)),
      canPostToChannel: CHANNEL_POSTERS.includes(role) && Boolean(await channelTarget(ctx, tenantId)),
      items: rows.map((r) => ({
        ...r, clientName: contacts.get(r.contactId) ?? '', media: media.get(r.id) ?? [],
        serviceName: names.services.find((s) => s.id === r.serviceId)?.name ?? '',
        specialists: names.resources.filter((x) => x.kind === 'staff' && r.resourceIds.includes(x.id)).map((x) => ({ id: x.id, name: x.name })),
      })),
    };
  });

  app.patch<{ Params: Static<typeof IdParam>; Body: Static<typeof StatusBody> }>('/reviews/:id', { schema: { tags, summary: 'Publish, hide or return a review to new; publishing needs the client\'s consent', params: IdParam, body: StatusBody }, config }, async (request) => {
    const { tenantId, params, body } = request;
    await ctx.transaction((trx) => publishReview(ctx, trx, tenantId, params.id, body.status, request.auth!.userId));
    return findReview(ctx, tenantId, params.id);
  });

  // The same text twice is one message (a double click, a retried request); another text is another reply.
  app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof ReplyBody> }>('/reviews/:id/reply', { schema: { tags, summary: 'Replies to the client through the messages outbox', params: IdParam, body: ReplyBody }, config }, async (request, reply) => {
    const { tenantId, params, body } = request;
    const sent = await ctx.transaction(async (trx) => {
      const review = await trx.selectFrom('reviews_reviews').select(['id', 'contact_id', 'reply']).where('tenant_id', '=', tenantId).where('id', '=', params.id).forUpdate().executeTakeFirst();
      if (!review) throw ctx.error('BF_ERR_REVIEWS_NOT_FOUND', { id: params.id });
      const hash = crypto.createHash('sha256').update(body.text).digest('hex').slice(0, 16);
      const message = await ctx.messages.send(trx, { tenantId, to: { contactId: review.contact_id }, purpose: 'transactional', idempotencyKey: `reviews:reply:${review.id}:${hash}`, message: { text: body.text } });
      const after = { reply: body.text, replied_at: ctx.now(), replied_by: request.auth!.userId };
      await trx.updateTable('reviews_reviews').set({ ...after, updated_at: ctx.now() }).where('tenant_id', '=', tenantId).where('id', '=', review.id).execute();
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'review', entityId: review.id, action: 'reply', before: { reply: review.reply }, after: { reply: body.text } });
      return message;
    });
    return reply.status(202).send(sent);
  });

  app.post<{ Params: Static<typeof IdParam> }>('/reviews/:id/post', { schema: { tags, summary: 'Shares a published review with the audience segment through broadcasts (once per review)', params: IdParam }, config: { roles: SHARERS } }, async (request, reply) => {
    const { tenantId, params } = request;
    const posted = await ctx.transaction(async (trx) => {
      const review = await trx.selectFrom('reviews_reviews').select(['id', 'rating', 'comment', 'author', 'status', 'publish_consent']).where('tenant_id', '=', tenantId).where('id', '=', params.id).forUpdate().executeTakeFirst();
      if (!review) throw ctx.error('BF_ERR_REVIEWS_NOT_FOUND', { id: params.id });
      if (review.status !== 'published' || !review.publish_consent) throw ctx.error('BF_ERR_REVIEWS_NO_CONSENT', { id: params.id });
      const { channelSegmentId } = await reviewsConfig(ctx, tenantId, trx);
      const broadcasts = await ctx.optionalService('broadcasts', tenantId, trx);
      if (!broadcasts || !channelSegmentId) throw ctx.error('BF_ERR_REVIEWS_POST_UNAVAILABLE');
      const stars = '★'.repeat(review.rating);
      const campaign = await broadcasts.send(trx, tenantId, {
        name: `${stars} ${review.author}`, segmentIds: [channelSegmentId], purpose: 'marketing', origin: { plugin: 'reviews', id: review.id },
        message: { text: everyLanguage(ctx, 'post', { stars, comment: review.comment, author: review.author }) },
      });
      await trx.updateTable('reviews_reviews').set({ posted_at: ctx.now() }).where('tenant_id', '=', tenantId).where('id', '=', review.id).execute();
      return campaign;
    });
    return reply.status(202).send(posted);
  });
}
