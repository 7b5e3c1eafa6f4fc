import { Type, type Static } from '@sinclair/typebox';
import type { PluginRoutes } from '../../../plugin-sdk.js';
import { sheetFile } from '../lib/sheet.js';
import { checkedRange } from './certificates.js';

const ReportQuery = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')])),
}, { additionalProperties: false });

const COLUMNS = ['kind', 'entries', 'points'];
const RETURN = 'redemption-return';

/** Points issued, redeemed (net of returns), penalties, bonuses by entry kind in a period; the liability (balances) and debts now. */
export const reportRoutes: PluginRoutes = (app, ctx) => {
  app.get<{ Querystring: Static<typeof ReportQuery> }>('/loyalty/reports', { schema: { tags: ['loyalty'], summary: 'Points by kind in a period and the outstanding liability, as JSON, CSV or XLSX', querystring: ReportQuery }, config: { roles: ['owner', 'admin'] } }, async (request, reply) => {
    const { from, to } = checkedRange(ctx, request.query);
    const { tenantId } = request;
    const rows = await ctx.db.selectFrom('loyalty_entries').select(['kind', (eb) => eb.fn.countAll<number>().as('entries'), (eb) => eb.fn.sum<number>('amount').as('points')])
      .where('tenant_id', '=', tenantId).where('ledger', '=', 'points').where('at', '>=', from).where('at', '<', to).groupBy('kind').orderBy('kind').execute();
    const totals = await ctx.db.selectFrom('loyalty_accounts').select([(eb) => eb.fn.coalesce(eb.fn.sum<number>('balance'), eb.val(0)).as('liability'), (eb) => eb.fn.coalesce(eb.fn.sum<number>('debt'), eb.val(0)).as('debt')])
      .where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    const byKind = rows.map((r) => ({ kind: r.kind as string, entries: Number(r.entries), points: Number(r.points) }));
    const sumOf = (kind: string) => byKind.find((r) => r.kind === kind)?.points ?? 0;
    // Points given back from a cancelled redemption were issued once already: they are netted against redeemed, not issued again.
    const issued = byKind.filter((r) => r.points > 0 && r.kind !== RETURN).reduce((s, r) => s + r.points, 0);
    const redeemed = -sumOf('redemption') - sumOf(RETURN);
    const penalties = -byKind.filter((r) => r.kind.endsWith('-penalty')).reduce((s, r) => s + r.points, 0);
    const summary = { issued, redeemed, penalties, liability: Number(totals.liability), debt: Number(totals.debt) };
    const lines = [...byKind, ...Object.entries(summary).map(([kind, points]) => ({ kind: `total:${kind}`, entries: null, points }))];
    const { format } = request.query;
    if (format === 'csv' || format === 'xlsx') {
      const file = await sheetFile(format, 'loyalty', COLUMNS, lines);
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
    }
    return { ...summary, byKind };
  });
};
