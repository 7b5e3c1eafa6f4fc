import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { everyLanguage, reviewsConfig } from '../lib/config.js';
import { mediaOf } from '../lib/media.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export const CHANNEL_POSTERS = ['owner', 'admin'] as const;

/** Where the business's channel posts go: its channel and its first connected bot (an admin there); undefined when either is missing. */
export async function channelTarget(ctx: PluginContext, tenantId: string, q?: Tx) {
  const { channelChatId } = await reviewsConfig(ctx, tenantId, q);
  const bot = (await ctx.business(tenantId, q)).telegramBots[0];
  return channelChatId && bot ? { chatId: channelChatId, botId: bot.id } : undefined;
}

/**
 * POST /api/v1/reviews/:id/channel: a published review to the business's Telegram channel through the messages
 * outbox — the stars, the service, the comment, the author's first name and initial, and its first photo when
 * PUBLIC_URL lets Telegram fetch it. Once per review: again, it answers the first post.
 */
export function channelRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.post<{ Params: Static<typeof IdParam> }>('/reviews/:id/channel', {
    schema: { tags: ['reviews'], summary: 'Posts a published review to the business\'s Telegram channel (once per review)', params: IdParam },
    config: { roles: CHANNEL_POSTERS },
  }, async (request, reply) => {
    const { tenantId, params } = request;
    const posted = await ctx.transaction(async (trx) => {
      const review = await trx.selectFrom('reviews_reviews').select(['id', 'rating', 'comment', 'author', 'status', 'publish_consent', 'service_id', 'channel_posted_at'])
        .where('tenant_id', '=', tenantId).where('id', '=', params.id).forUpdate().executeTakeFirst();
      if (!review) throw ctx.error('BF_ERR_REVIEWS_NOT_FOUND', { id: params.id });
      if (review.status !== 'published' || !review.publish_consent) throw ctx.error('BF_ERR_REVIEWS_NO_CONSENT', { id: params.id });
      const target = await channelTarget(ctx, tenantId, trx);
      if (!target) throw ctx.error('BF_ERR_REVIEWS_CHANNEL_UNAVAILABLE');
      const service = (await ctx.service('booking').names(tenantId, { serviceIds: [review.service_id] })).services[0]?.name ?? '';
      const photo = (await mediaOf(trx, tenantId, [review.id])).get(review.id)?.find((m) => m.kind === 'photo' && m.fileId);
      const photoUrl = photo ? ctx.files.publicUrl(tenantId, photo.fileId!) : undefined;
      const text = everyLanguage(ctx, 'channelPost', { stars: '⭐'.repeat(review.rating), service, comment: review.comment, author: review.author });
      const message = await ctx.messages.send(trx, {
        tenantId, to: { conversation: { channel: 'telegram', botId: target.botId, chatId: target.chatId } }, purpose: 'transactional',
        idempotencyKey: `reviews:channel:${review.id}`, message: { text, ...(photoUrl ? { photo: photoUrl } : {}) },
      });
      const postedAt = review.channel_posted_at ?? ctx.now();
      if (!review.channel_posted_at) {
        await trx.updateTable('reviews_reviews').set({ channel_posted_at: postedAt, channel_message_id: message.id }).where('tenant_id', '=', tenantId).where('id', '=', review.id).execute();
        await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'review', entityId: review.id, action: 'channel-post', after: { chatId: target.chatId, messageId: message.id } });
      }
      return { messageId: message.id, status: message.status, postedAt, first: !review.channel_posted_at };
    });
    const { first, ...body } = posted;
    return reply.status(first ? 202 : 200).send(body);
  });
}
