import type { PluginContext, Tx } from '../../../plugin-sdk.js';

export type ReviewStatus = 'new' | 'published' | 'hidden';

/** Staff (or autoPublishFrom) change a review's status; only a review whose client agreed can be published. */
export async function publishReview(ctx: PluginContext, trx: Tx, tenantId: string, id: string, status: ReviewStatus, actorId: string | null): Promise<void> {
  const before = await trx.selectFrom('reviews_reviews').select(['id', 'status', 'rating', 'publish_consent']).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!before) throw ctx.error('BF_ERR_REVIEWS_NOT_FOUND', { id });
  if (status === 'published' && !before.publish_consent) throw ctx.error('BF_ERR_REVIEWS_NO_CONSENT', { id });
  if (before.status === status) return;
  await trx.updateTable('reviews_reviews').set({ status, updated_at: ctx.now() }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  await ctx.audit(trx, { tenantId, actorId, entity: 'review', entityId: id, action: status, before: { status: before.status }, after: { status } });
  if (status === 'published') await ctx.events.emit(trx, tenantId, 'reviews.published', { reviewId: id, rating: before.rating });
}

/** The client's word on a review: a comment and whether it may be published (then, at autoPublishFrom or more, it is). */
export async function clientFeedback(ctx: PluginContext, trx: Tx, tenantId: string, id: string, feedback: { comment?: string; consent?: boolean }, autoPublishFrom: number): Promise<void> {
  const row = await trx.updateTable('reviews_reviews').set({
    ...(feedback.comment !== undefined ? { comment: feedback.comment } : {}),
    ...(feedback.consent !== undefined ? { publish_consent: feedback.consent } : {}),
    updated_at: ctx.now(),
  }).where('tenant_id', '=', tenantId).where('id', '=', id).returning(['status', 'rating', 'publish_consent']).executeTakeFirst();
  if (row && row.publish_consent && row.status === 'new' && autoPublishFrom > 0 && row.rating >= autoPublishFrom) await publishReview(ctx, trx, tenantId, id, 'published', null);
  // Consent taken back: a published review goes back to the inbox.
  if (row && !row.publish_consent && row.status === 'published') await publishReview(ctx, trx, tenantId, id, 'new', null);
}
