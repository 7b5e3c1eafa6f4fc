import { sql } from 'kysely';
import type { Db, Tx } from '../../../plugin-sdk.js';

export interface ReviewFilter {
  rating?: number[];
  resourceId?: string;
  serviceId?: string;
  from?: string;
  to?: string;
  status?: string;
}

/** The business's reviews under a filter, newest first: the inbox and its counts read the same rows. */
export function reviewsQuery(q: Db | Tx, tenantId: string, f: ReviewFilter) {
  let query = q.selectFrom('reviews_reviews').where('tenant_id', '=', tenantId);
  if (f.rating?.length) query = query.where('rating', 'in', f.rating);
  if (f.serviceId) query = query.where('service_id', '=', f.serviceId);
  if (f.resourceId) query = query.where(sql<boolean>`${f.resourceId}::uuid = ANY(resource_ids)`);
  if (f.from) query = query.where('visit_start', '>=', new Date(f.from));
  if (f.to) query = query.where('visit_start', '<', new Date(f.to));
  if (f.status) query = query.where('status', '=', f.status);
  return query;
}

/** What the public sees: published, and the client agreed. */
export const publicReviews = (q: Db | Tx, tenantId: string) =>
  q.selectFrom('reviews_reviews').where('tenant_id', '=', tenantId).where('status', '=', 'published').where('publish_consent', '=', true);

/** Average and count of ratings per resource (hidden ones left out), for the specialist picker. */
export async function resourceAverages(q: Db | Tx, tenantId: string, resourceIds: string[], visits?: { from: Date; to: Date }) {
  if (!resourceIds.length) return [];
  const inPeriod = visits ? sql`AND v.visit_start >= ${visits.from} AND v.visit_start < ${visits.to}` : sql``;
  const { rows } = await sql<{ resource_id: string; average: string; count: string }>`
    SELECT r.resource_id, avg(v.rating)::numeric(3,2) AS average, count(*) AS count
    FROM reviews_reviews v CROSS JOIN LATERAL unnest(v.resource_ids) AS r(resource_id)
    WHERE v.tenant_id = ${tenantId} AND v.status <> 'hidden' AND r.resource_id = ANY(${resourceIds}::uuid[]) ${inPeriod}
    GROUP BY r.resource_id`.execute(q);
  return rows.map((r) => ({ resourceId: r.resource_id, average: Number(r.average), count: Number(r.count) }));
}
