import type { ContactErasure, PluginContext, Tx } from '../../../plugin-sdk.js';

/**
 * A contact erased on request: their reviews keep the rating (the averages) without a word or a picture of them —
 * comments, the author's name and every photo and video go, from core's file store too.
 */
export async function eraseReviews(ctx: PluginContext, trx: Tx, e: ContactErasure): Promise<void> {
  const reviews = trx.selectFrom('reviews_reviews').select('id').where('tenant_id', '=', e.tenantId).where('contact_id', '=', e.contactId);
  const media = await trx.deleteFrom('reviews_media').where('tenant_id', '=', e.tenantId).where('review_id', 'in', reviews).returning(['file_id', 'thumb_file_id']).execute();
  await ctx.files.delete(trx, e.tenantId, media.flatMap((m) => [m.file_id, m.thumb_file_id]).filter((id): id is string => Boolean(id)));
  await trx.updateTable('reviews_reviews').set({ comment: '', author: '', publish_consent: false, status: 'hidden', updated_at: ctx.now() })
    .where('tenant_id', '=', e.tenantId).where('contact_id', '=', e.contactId).execute();
}
