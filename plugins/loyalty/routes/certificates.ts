import { Type, type Static } from '@sinclair/typebox';
import type { PluginContext, PluginRoutes } from '../../../plugin-sdk.js';
import { exactMinor, toMajor } from '../lib/money.js';

const tags = ['loyalty'];
const CertificateBody = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
  nominal: Type.Number({ exclusiveMinimum: 0, maximum: 100_000_000 }),
  validUntil: Type.String({ format: 'date-time' }),
  buyerContactId: Type.Optional(Type.String({ format: 'uuid' })),
  holderContactId: Type.Optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false });
const ListQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('used'), Type.Literal('cancelled'), Type.Literal('expired')])) }, { additionalProperties: false });
const RangeQuery = Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) }, { additionalProperties: false });
const NumberParam = Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) });

const MANAGERS = ['owner', 'admin', 'manager'] as const;
const YEAR = 366 * 86_400_000;

export function checkedRange(ctx: PluginContext, q: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(q.from);
  const to = new Date(q.to);
  if (!(from < to) || to.getTime() - from.getTime() > YEAR) throw ctx.error('BF_ERR_LOYALTY_RANGE_INVALID', { from: q.from, to: q.to });
  return { from, to };
}

function view(r: Record<string, any>, now: Date) {
  const expired = r.status === 'active' && new Date(r.valid_until) < now;
  return {
    id: r.id, number: r.number, nominal: toMajor(Number(r.nominal), r.currency), balance: toMajor(Number(r.balance), r.currency), currency: r.currency,
    soldAt: new Date(r.sold_at).toISOString(), soldBy: r.sold_by, buyerContactId: r.buyer_contact_id, holderContactId: r.holder_contact_id,
    validUntil: new Date(r.valid_until).toISOString(), status: expired ? 'expired' : r.status,
  };
}

export const certificateRoutes: PluginRoutes = (app, ctx) => {
  app.get<{ Querystring: Static<typeof ListQuery> }>('/loyalty/certificates', { schema: { tags, summary: 'The gift certificate register, newest first', querystring: ListQuery }, config: { roles: MANAGERS } }, async (request) => {
    const rows = await ctx.db.selectFrom('loyalty_certificates').selectAll().where('tenant_id', '=', request.tenantId).orderBy('sold_at', 'desc').orderBy('id').limit(5000).execute();
    const items = rows.map((r) => view(r, ctx.now()));
    return { items: request.query.status ? items.filter((c) => c.status === request.query.status) : items };
  });

  app.get<{ Params: Static<typeof NumberParam> }>('/loyalty/certificates/:number', { schema: { tags, summary: 'A certificate with its write-offs (number and amount written off)', params: NumberParam }, config: { roles: MANAGERS } }, async (request) => {
    const row = await ctx.db.selectFrom('loyalty_certificates').selectAll().where('tenant_id', '=', request.tenantId).where('number', '=', request.params.number).executeTakeFirst();
    if (!row) throw ctx.error('BF_ERR_LOYALTY_CERTIFICATE_NOT_FOUND', { number: request.params.number });
    const entries = await ctx.db.selectFrom('loyalty_entries').select(['kind', 'amount', 'balance_after', 'contact_id', 'source_id', 'at']).where('tenant_id', '=', request.tenantId)
      .where('ledger', '=', 'certificate').where('certificate_number', '=', row.number).orderBy('at').execute();
    return { ...view(row, ctx.now()), writeOffs: entries.map((e) => ({ kind: e.kind, amount: toMajor(-Number(e.amount), row.currency), balanceAfter: toMajor(Number(e.balance_after), row.currency), contactId: e.contact_id, bookingId: e.source_id, at: new Date(e.at).toISOString() })) };
  });

  app.post<{ Body: Static<typeof CertificateBody> }>('/loyalty/certificates', { schema: { tags, summary: 'Register a sold gift certificate (audited)', body: CertificateBody }, config: { roles: MANAGERS } }, async (request, reply) => {
    const { tenantId } = request;
    const b = request.body;
    const row = await ctx.transaction(async (trx) => {
      const { currency } = await ctx.business(tenantId, trx);
      const nominal = exactMinor(b.nominal, currency);
      if (!nominal) throw ctx.error('BF_ERR_LOYALTY_AMOUNT_INVALID', { amount: b.nominal });
      for (const id of [b.buyerContactId, b.holderContactId]) if (id && !(await ctx.contacts.get(trx, tenantId, id))) throw ctx.error('BF_ERR_LOYALTY_CONTACT_NOT_FOUND', { id });
      const made = await trx.insertInto('loyalty_certificates').values({
        tenant_id: tenantId, number: b.number, nominal, balance: nominal, currency, sold_at: ctx.now(), sold_by: request.auth!.userId,
        buyer_contact_id: b.buyerContactId ?? null, holder_contact_id: b.holderContactId ?? null, valid_until: new Date(b.validUntil), status: 'active',
      }).returningAll().executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'loyalty_certificate', entityId: made.id, action: 'create', after: b });
      return made;
    });
    return reply.status(201).send(view(row, ctx.now()));
  });

  app.get<{ Querystring: Static<typeof RangeQuery> }>('/loyalty/certificates-analytics', { schema: { tags, summary: 'Certificates sold, redeemed, outstanding and expired in a period', querystring: RangeQuery }, config: { roles: MANAGERS } }, async (request) => {
    const { from, to } = checkedRange(ctx, request.query);
    const { currency } = await ctx.business(request.tenantId);
    const rows = await ctx.db.selectFrom('loyalty_certificates').selectAll().where('tenant_id', '=', request.tenantId).execute();
    const sold = rows.filter((r) => new Date(r.sold_at) >= from && new Date(r.sold_at) < to);
    const redeemed = await ctx.db.selectFrom('loyalty_entries').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.val(0)).as('sum'))
      .where('tenant_id', '=', request.tenantId).where('ledger', '=', 'certificate').where('at', '>=', from).where('at', '<', to).executeTakeFirstOrThrow();
    const now = ctx.now();
    const live = rows.filter((r) => r.status === 'active' && new Date(r.valid_until) >= now);
    const expired = rows.filter((r) => r.status === 'active' && new Date(r.valid_until) < now && new Date(r.valid_until) >= from && new Date(r.valid_until) < to);
    const sum = (list: typeof rows, col: 'nominal' | 'balance') => toMajor(list.reduce((s, r) => s + Number(r[col]), 0), currency);
    return {
      currency, sold: { count: sold.length, amount: sum(sold, 'nominal') }, redeemed: toMajor(-Number(redeemed.sum), currency),
      outstanding: { count: live.length, amount: sum(live, 'balance') }, expired: { count: expired.length, amount: sum(expired, 'balance') },
    };
  });
};
