import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { prepaymentService } from '../lib/service.js';
import { requestRefund, retryRefund } from '../lib/refunds.js';
import { offerTip } from '../lib/tips.js';
import { dayRange, financeReport, ledgerCsv, ledgerRows, ledgerXlsx } from '../lib/finance.js';
import { reconcileDay } from '../lib/reconcile.js';

const tags = ['prepayment'];
const Uuid = Type.String({ format: 'uuid' });
const IdParam = Type.Object({ id: Uuid });
const Day = Type.String({ format: 'date' });
const RangeQuery = Type.Object({ from: Day, to: Day }, { additionalProperties: false });
const ExportQuery = Type.Object({ from: Day, to: Day, format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])) }, { additionalProperties: false });
const RefundBody = Type.Object({ percent: Type.Integer({ minimum: 1, maximum: 100 }), reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
const RefundsQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')])) }, { additionalProperties: false });
const ReconcileBody = Type.Object({ day: Day }, { additionalProperties: false });

/** Money is for the owner and admins; the desk (managers) sees a booking's payments and offers tips. */
const FINANCE = ['owner', 'admin'] as const;
const DESK = ['owner', 'admin', 'manager'] as const;

const PAYMENT_COLUMNS = ['id', 'booking_id', 'purpose', 'provider', 'status', 'amount', 'currency', 'refunded', 'specialist_id', 'paid_at', 'created_at', 'expires_at'] as const;
const REFUND_COLUMNS = ['id', 'payment_id', 'booking_id', 'amount', 'currency', 'percent', 'reason', 'status', 'attempts', 'last_error', 'created_at', 'done_at'] as const;

export function staffRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const service = prepaymentService(ctx);

  app.get<{ Params: Static<typeof IdParam> }>('/prepayment/bookings/:id/payments', { schema: { tags, summary: "A booking's money: state, paid, refunded, due; its payments and refunds", params: IdParam }, config: { roles: [...DESK] } }, async (request) => {
    const { tenantId } = request;
    const summary = await service.bookingPayments(tenantId, request.params.id);
    const [payments, refunds] = await Promise.all([
      ctx.db.selectFrom('prepayment_payments').select(PAYMENT_COLUMNS).where('tenant_id', '=', tenantId).where('booking_id', '=', request.params.id).orderBy('created_at').execute(),
      ctx.db.selectFrom('prepayment_refunds').select(REFUND_COLUMNS).where('tenant_id', '=', tenantId).where('booking_id', '=', request.params.id).orderBy('created_at').execute(),
    ]);
    return { summary, payments: payments.map(numbers), refunds: refunds.map(numbers) };
  });

  app.get<{ Params: Static<typeof IdParam> }>('/prepayment/bookings/:id/breakdown', {
    schema: { tags, summary: "A booking's price: list price, discounts by source, tenders, prepaid, refunded, left to pay at the visit (minor units)", params: IdParam },
    config: { roles: [...DESK] },
  }, async (request) => service.breakdown(request.tenantId, request.params.id));

  // Staff override the policy (the business cancelled, a goodwill refund): the booking's prepayment is refunded up to this percent in all.
  app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof RefundBody> }>('/prepayment/bookings/:id/refund', { schema: { tags, summary: 'Refund a booking\'s prepayment up to a percent in all, with a reason (audited)', params: IdParam, body: RefundBody }, config: { roles: [...FINANCE] } }, async (request, reply) => {
    const { tenantId } = request;
    const actorId = request.auth!.userId;
    const refund = await ctx.transaction(async (trx) => {
      const paid = await trx.selectFrom('prepayment_payments').select(['amount', 'refunded']).where('tenant_id', '=', tenantId).where('booking_id', '=', request.params.id).where('purpose', '=', 'prepayment').where('status', '=', 'succeeded').executeTakeFirst();
      if (!paid) throw ctx.error('BF_ERR_PREPAYMENT_NOTHING_PAID', { id: request.params.id });
      const made = await requestRefund(ctx, trx, tenantId, { bookingId: request.params.id, key: `override:${request.params.id}:${request.body.percent}`, percent: request.body.percent, reason: request.body.reason, actorId });
      if (!made) throw ctx.error('BF_ERR_PREPAYMENT_REFUND_EXCEEDS', { available: Number(paid.amount) - Number(paid.refunded) });
      await ctx.audit(trx, { tenantId, actorId, entity: 'prepayment_refund', entityId: made.id, action: 'override', after: { percent: request.body.percent, reason: request.body.reason, amount: Number(made.amount) } });
      return made;
    });
    return reply.status(201).send(numbers(refund));
  });

  app.post<{ Params: Static<typeof IdParam> }>('/prepayment/bookings/:id/tip-offer', { schema: { tags, summary: 'Offer the client a tip for a completed visit (once per booking)', params: IdParam }, config: { roles: [...DESK] } }, async (request) =>
    ctx.transaction(async (trx) => {
      if (!(await ctx.service('booking').getBooking(request.tenantId, request.params.id))) throw ctx.error('BF_ERR_PREPAYMENT_BOOKING_NOT_FOUND', { id: request.params.id });
      return offerTip(ctx, trx, request.tenantId, request.params.id);
    }));

  app.get<{ Querystring: Static<typeof RefundsQuery> }>('/prepayment/refunds', { schema: { tags, summary: 'Refunds, newest first; `failed` ones wait for a retry', querystring: RefundsQuery }, config: { roles: [...FINANCE] } }, async (request) => {
    let q = ctx.db.selectFrom('prepayment_refunds').select(REFUND_COLUMNS).where('tenant_id', '=', request.tenantId);
    if (request.query.status) q = q.where('status', '=', request.query.status);
    return { items: (await q.orderBy('created_at', 'desc').limit(500).execute()).map(numbers) };
  });

  app.post<{ Params: Static<typeof IdParam> }>('/prepayment/refunds/:id/retry', { schema: { tags, summary: 'Send a failed refund again', params: IdParam }, config: { roles: [...FINANCE] } }, async (request) =>
    numbers(await ctx.transaction((trx) => retryRefund(ctx, trx, request.tenantId, request.params.id, request.auth!.userId))));

  app.get<{ Querystring: Static<typeof RangeQuery> }>('/prepayment/finance', { schema: { tags, summary: 'Revenue by day, service, specialist and method; tips, refunds, prepayments held, outstanding (days in the business\'s zone)', querystring: RangeQuery }, config: { roles: [...FINANCE] } }, async (request) =>
    financeReport(ctx, request.tenantId, await dayRange(ctx, request.tenantId, request.query.from, request.query.to)));

  app.get<{ Querystring: Static<typeof ExportQuery> }>('/prepayment/finance/export', { schema: { tags, summary: 'The ledger of the days as CSV or XLSX', querystring: ExportQuery }, config: { roles: [...FINANCE] } }, async (request, reply) => {
    const range = await dayRange(ctx, request.tenantId, request.query.from, request.query.to);
    const rows = await ledgerRows(ctx, request.tenantId, range);
    const name = `ledger-${request.query.from}-${request.query.to}`;
    if (request.query.format === 'xlsx') {
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await ledgerXlsx(rows));
    }
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(ledgerCsv(rows));
  });

  app.post<{ Body: Static<typeof ReconcileBody> }>('/prepayment/reconciliations', { schema: { tags, summary: 'Compare a day\'s payments with the gateways now (the daily job does yesterday)', body: ReconcileBody }, config: { roles: [...FINANCE] } }, async (request) =>
    reconcileDay(ctx, request.tenantId, request.body.day));

  app.get('/prepayment/reconciliations', { schema: { tags, summary: 'The last 60 days\' reconciliations' }, config: { roles: [...FINANCE] } }, async (request) => ({
    items: await ctx.db.selectFrom('prepayment_reconciliations').select(['day', 'checked', 'mismatches', 'created_at']).where('tenant_id', '=', request.tenantId).orderBy('day', 'desc').limit(60).execute(),
  }));
}

/** bigint columns come back as strings. */
function numbers<T extends object>(row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const k of ['amount', 'refunded']) if (k in out) out[k] = Number(out[k]);
  return out as T;
}
