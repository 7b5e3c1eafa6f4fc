import type { Db, Tx } from '../../../plugin-sdk.js';

/** A review's photo or video as the inbox lists it: core's file ids to open through GET /api/v1/files/:id. */
export interface ReviewMedia {
  id: string;
  kind: 'photo' | 'video';
  status: 'pending' | 'stored' | 'rejected';
  fileId: string | null;
  thumbFileId: string | null;
}

/** The media of these reviews, by review, in the order the client sent them. */
export async function mediaOf(q: Db | Tx, tenantId: string, reviewIds: string[]): Promise<Map<string, ReviewMedia[]>> {
  const out = new Map<string, ReviewMedia[]>();
  if (!reviewIds.length) return out;
  const rows = await q.selectFrom('reviews_media').select(['id', 'review_id', 'kind', 'status', 'file_id as fileId', 'thumb_file_id as thumbFileId'])
    .where('tenant_id', '=', tenantId).where('review_id', 'in', reviewIds).orderBy('created_at').orderBy('id').execute();
  for (const { review_id: reviewId, ...m } of rows) out.set(reviewId, [...(out.get(reviewId) ?? []), m as ReviewMedia]);
  return out;
}
