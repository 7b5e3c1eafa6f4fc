import type { ContactMerge, Tx } from '../../../plugin-sdk.js';

const TABLES = { request: 'reviews_requests', review: 'reviews_reviews' } as const;

/** A merged contact's requests and reviews follow it to the kept contact; each moved row is noted for the undo. */
export async function moveReviews(trx: Tx, m: ContactMerge): Promise<void> {
  for (const [kind, table] of Object.entries(TABLES)) {
    const moved = await trx.updateTable(table).set({ contact_id: m.keptId }).where('tenant_id', '=', m.tenantId).where('contact_id', '=', m.mergedId).returning('id').execute();
    if (moved.length) await trx.insertInto('reviews_merge_moves').values(moved.map((r) => ({ tenant_id: m.tenantId, merge_id: m.mergeId, kind, row_id: r.id }))).execute();
  }
}

export async function moveReviewsBack(trx: Tx, m: ContactMerge): Promise<void> {
  for (const [kind, table] of Object.entries(TABLES)) {
    const ids = trx.selectFrom('reviews_merge_moves').select('row_id').where('tenant_id', '=', m.tenantId).where('merge_id', '=', m.mergeId).where('kind', '=', kind);
    await trx.updateTable(table).set({ contact_id: m.mergedId }).where('tenant_id', '=', m.tenantId).where('id', 'in', ids).execute();
  }
  await trx.deleteFrom('reviews_merge_moves').where('tenant_id', '=', m.tenantId).where('merge_id', '=', m.mergeId).execute();
}
