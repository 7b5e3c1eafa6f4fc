import type { PluginServer } from '../../plugin-sdk.js';
import type { BadgeQuery } from '../booking/contract.js';
import { reviewsConfig } from './lib/config.js';
import { moveReviews, moveReviewsBack } from './lib/merges.js';
import { clientFeedback } from './lib/publish.js';
import { resourceAverages } from './lib/queries.js';
import { rate } from './lib/rating.js';
import { ATTACH_MINUTES, MEDIA_LIMITS, attachToReview } from './lib/attachments.js';
import { fetchMedia } from './lib/fetch-media.js';
import { eraseReviews } from './lib/erase.js';
import { channelRoutes } from './routes/channel.js';
import { scheduleRequest, sendRequest } from './lib/requests.js';
import { seedDemo, seedDemoReviews } from './demo/seed.js';
import { inboxRoutes } from './routes/inbox.js';
import { publicRoutes } from './routes/public.js';
import { statsRoutes } from './routes/stats.js';

const plugin: PluginServer = {
  routes(app, ctx) {
    inboxRoutes(app, ctx);
    channelRoutes(app, ctx);
    statsRoutes(app, ctx);
    publicRoutes(app, ctx);
  },

  events: {
    'booking.completed': scheduleRequest,
  },

  jobs: {
    'send-request': (job, ctx) => sendRequest(ctx, job.tenantId, String(job.data.requestId), false),
    remind: (job, ctx) => sendRequest(ctx, job.tenantId, String(job.data.requestId), true),
    'seed-demo': (job, ctx) => seedDemoReviews(ctx, job.tenantId),
    'fetch-media': (job, ctx) => fetchMedia(ctx, job.tenantId, String(job.data.mediaId)),
  },

  actions: {
    // ⭐1…⭐5 under the request in Telegram; a stale or foreign request id answers "no longer available".
    rate: async (input, trx, ctx) => {
      const rating = Number(input.payload.rating);
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) return { reply: { text: ctx.t(input.locale, 'gone') }, removeButtons: true };
      const outcome = await rate(ctx, trx, input.tenantId, String(input.payload.requestId), rating, input.locale);
      if (!outcome?.created) return { reply: outcome?.reply ?? { text: ctx.t(input.locale, 'gone') }, removeButtons: true };
      // Rated: the chat's next messages (a comment, photos, a short video) go to the review for a while.
      const askMore = ctx.t(input.locale, 'askMore', { photos: MEDIA_LIMITS.photos, seconds: MEDIA_LIMITS.videoSeconds });
      return {
        reply: { ...outcome.reply, text: `${String(outcome.reply.text)}\n\n${askMore}` }, removeButtons: true,
        awaitMessages: { handler: 'attach', payload: { reviewId: outcome.reviewId }, minutes: ATTACH_MINUTES },
      };
    },
    consent: async (input, trx, ctx) => {
      const id = String(input.payload.reviewId);
      const review = await trx.selectFrom('reviews_reviews').select('id').where('tenant_id', '=', input.tenantId).where('id', '=', id).executeTakeFirst();
      if (!review) return { reply: { text: ctx.t(input.locale, 'gone') }, removeButtons: true };
      await clientFeedback(ctx, trx, input.tenantId, id, { consent: true }, (await reviewsConfig(ctx, input.tenantId, trx)).autoPublishFrom);
      return { reply: { text: ctx.t(input.locale, 'consentThanks') }, removeButtons: true };
    },
  },

  chatInputs: {
    attach: attachToReview,
  },

  extensions: {
    // The CRM's staff efficiency report: the ratings of the period's visits.
    'crm.staffRatings': async (input, ctx, call) => resourceAverages(ctx.db, call.tenantId, input.resourceIds, { from: new Date(input.from), to: new Date(input.to) }),
    // "★ 4.8 · 120 reviews" next to a specialist's name in the chat's picker.
    'booking.resourceBadges': async (input: BadgeQuery, ctx, call) => {
      const averages = await resourceAverages(ctx.db, call.tenantId, input.resourceIds);
      return averages.map((a) => ({ resourceId: a.resourceId, text: ctx.t(input.locale, 'badge', { average: a.average.toFixed(1), count: a.count }) }));
    },
  },

  onContactsMerged: (trx, merge) => moveReviews(trx, merge),
  onContactsUnmerged: (trx, merge) => moveReviewsBack(trx, merge),
  onContactErased: (trx, erasure, ctx) => eraseReviews(ctx, trx, erasure),

  seedDemo,
};

export default plugin;
