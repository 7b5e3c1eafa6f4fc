import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';

const StatsQuery = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  bucket: Type.Optional(Type.Union([Type.Literal('week'), Type.Literal('month')])),
}, { additionalProperties: false });

const MAX_RANGE_MS = 731 * 86_400_000;

interface Row { key: string; period: Date; average: string; count: string }

/** Rows per key and period into each key's totals and its trend, oldest period first. */
function group(rows: Row[], names: Map<string, string>) {
  const by = new Map<string, Row[]>();
  for (const r of rows) by.set(r.key, [...(by.get(r.key) ?? []), r]);
  return [...by].map(([id, rs]) => {
    const count = rs.reduce((n, r) => n + Number(r.count), 0);
    const sum = rs.reduce((n, r) => n + Number(r.average) * Number(r.count), 0);
    return {
      id, name: names.get(id) ?? '', count, average: Math.round((sum / count) * 100) / 100,
      trend: rs.map((r) => ({ period: r.period.toISOString().slice(0, 10), average: Number(r.average), count: Number(r.count) })),
    };
  }).sort((a, b) => b.count - a.count);
}

/** Averages per specialist and per service over a period, with their week-by-week (or month) trend in the business's zone. */
export function statsRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Querystring: Static<typeof StatsQuery> }>('/reviews/stats', { schema: { tags: ['reviews'], summary: 'Average ratings per specialist and service, with trends', querystring: StatsQuery }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request) => {
    const { tenantId, query } = request;
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_RANGE_MS) throw ctx.error('BF_ERR_VALIDATION_FAILED', { errors: [{ path: '/querystring/to', message: 'must be after from, at most two years on' }] });
    const { timezone } = await ctx.business(tenantId);
    const bucket = query.bucket ?? 'week';
    const period = sql`(date_trunc(${bucket}, v.visit_start AT TIME ZONE ${timezone}))::date::timestamp`;
    const scope = sql`v.tenant_id = ${tenantId} AND v.status <> 'hidden' AND v.visit_start >= ${from} AND v.visit_start < ${to}`;
    const [bySpecialist, byService] = await Promise.all([
      sql<Row>`SELECT r.id AS key, ${period} AS period, avg(v.rating)::numeric(4,2) AS average, count(*) AS count
        FROM reviews_reviews v CROSS JOIN LATERAL unnest(v.resource_ids) AS r(id) WHERE ${scope} GROUP BY 1, 2 ORDER BY 2`.execute(ctx.db),
      sql<Row>`SELECT v.service_id AS key, ${period} AS period, avg(v.rating)::numeric(4,2) AS average, count(*) AS count
        FROM reviews_reviews v WHERE ${scope} GROUP BY 1, 2 ORDER BY 2`.execute(ctx.db),
    ]);
    const names = await ctx.service('booking').names(tenantId, { serviceIds: [...new Set(byService.rows.map((r) => r.key))], resourceIds: [...new Set(bySpecialist.rows.map((r) => r.key))] });
    const staff = new Map(names.resources.filter((r) => r.kind === 'staff').map((r) => [r.id, r.name]));
    return {
      bucket,
      specialists: group(bySpecialist.rows.filter((r) => staff.has(r.key)), staff),
      services: group(byService.rows, new Map(names.services.map((s) => [s.id, s.name]))),
    };
  });
}
