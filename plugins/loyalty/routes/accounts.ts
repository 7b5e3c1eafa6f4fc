import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { PluginContext, PluginRoutes, Tx } from '../../../plugin-sdk.js';
import { accountOf, entriesOf } from '../lib/account.js';
import { loyaltyConfig } from '../lib/config.js';
import { lockAccount, post } from '../lib/ledger.js';
import { exactMinor, toMajor } from '../lib/money.js';
import { applyTender, nextRedeemAt, tendersOf } from '../lib/tenders.js';

const tags = ['loyalty'];
const ContactParam = Type.Object({ contactId: Type.String({ format: 'uuid' }) });
const BookingParam = Type.Object({ bookingId: Type.String({ format: 'uuid' }) });
const AdjustBody = Type.Object({
  points: Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, not: { const: 0 } }),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
}, { additionalProperties: false });
const TopUpBody = Type.Object({ amount: Type.Number({ exclusiveMinimum: 0, maximum: 100_000_000 }), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const UnblockBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
const TenderBody = Type.Object({
  kind: Type.Union([Type.Literal('points'), Type.Literal('certificate'), Type.Literal('deposit')]),
  /** points for `points`, money (major units) otherwise */
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 100_000_000 }),
  certificateNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}, { additionalProperties: false });

const MANAGERS = ['owner', 'admin', 'manager'] as const;

async function knownContact(ctx: PluginContext, q: PluginContext['db'] | Tx, tenantId: string, contactId: string) {
  const contact = await ctx.contacts.get(q, tenantId, contactId);
  if (!contact) throw ctx.error('BF_ERR_LOYALTY_CONTACT_NOT_FOUND', { id: contactId });
  return contact;
}

/** What the client card shows: the account, when points may be used again, the ledger newest first. */
export async function accountCard(ctx: PluginContext, tenantId: string, contactId: string) {
  const [account, cfg, entries] = await Promise.all([accountOf(ctx, tenantId, contactId), loyaltyConfig(ctx, tenantId), entriesOf(ctx, ctx.db, tenantId, contactId)]);
  const next = await nextRedeemAt(ctx, ctx.db, tenantId, contactId, cfg.redeemIntervalDays);
  return { ...account, deposit: toMajor(account.deposit.amount, account.deposit.currency), currency: account.deposit.currency, nextRedeemAt: next?.toISOString() ?? null, entries };
}

export const accountRoutes: PluginRoutes = (app, ctx) => {
  app.get<{ Params: Static<typeof ContactParam> }>('/loyalty/accounts/:contactId', { schema: { tags, summary: 'A client\'s points, tier, VIP, debt, block, deposit and ledger', params: ContactParam }, config: { roles: MANAGERS } }, async (request) => {
    await knownContact(ctx, ctx.db, request.tenantId, request.params.contactId);
    return accountCard(ctx, request.tenantId, request.params.contactId);
  });

  app.post<{ Params: Static<typeof ContactParam>; Body: Static<typeof AdjustBody> }>('/loyalty/accounts/:contactId/adjust', { schema: { tags, summary: 'Credit or write off points by hand, with a reason (audited)', params: ContactParam, body: AdjustBody }, config: { roles: ['owner', 'admin'] } }, async (request) => {
    const { tenantId } = request;
    const { contactId } = request.params;
    await ctx.transaction(async (trx) => {
      await knownContact(ctx, trx, tenantId, contactId);
      const acc = await lockAccount(trx, tenantId, contactId);
      if (acc.balance + request.body.points < 0) throw ctx.error('BF_ERR_LOYALTY_INSUFFICIENT_POINTS', { balance: acc.balance, points: -request.body.points });
      const sourceId = crypto.randomUUID();
      await post(ctx, trx, tenantId, { contactId, ledger: 'points', kind: 'manual', amount: request.body.points, sourceKind: 'manual', sourceId, reason: request.body.reason, actorId: request.auth!.userId });
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'loyalty_account', entityId: contactId, action: 'adjust', before: { balance: acc.balance, debt: acc.debt }, after: request.body });
    });
    return accountCard(ctx, tenantId, contactId);
  });

  app.post<{ Params: Static<typeof ContactParam>; Body: Static<typeof TopUpBody> }>('/loyalty/accounts/:contactId/deposit', { schema: { tags, summary: 'Top up the client\'s deposit at the desk (audited)', params: ContactParam, body: TopUpBody }, config: { roles: MANAGERS } }, async (request) => {
    const { tenantId } = request;
    const { contactId } = request.params;
    await ctx.transaction(async (trx) => {
      await knownContact(ctx, trx, tenantId, contactId);
      const { currency } = await ctx.business(tenantId, trx);
      const amount = exactMinor(request.body.amount, currency);
      if (!amount) throw ctx.error('BF_ERR_LOYALTY_AMOUNT_INVALID', { amount: request.body.amount });
      await post(ctx, trx, tenantId, { contactId, ledger: 'deposit', kind: 'deposit-topup', amount, sourceKind: 'manual', sourceId: crypto.randomUUID(), reason: request.body.reason ?? '', actorId: request.auth!.userId });
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'loyalty_account', entityId: contactId, action: 'deposit', after: request.body });
    });
    return accountCard(ctx, tenantId, contactId);
  });

  app.post<{ Params: Static<typeof ContactParam>; Body: Static<typeof UnblockBody> }>('/loyalty/accounts/:contactId/unblock', { schema: { tags, summary: 'Lift the client\'s online-booking block (audited)', params: ContactParam, body: UnblockBody }, config: { roles: ['owner', 'admin'] } }, async (request) => {
    const { tenantId } = request;
    const { contactId } = request.params;
    await ctx.transaction(async (trx) => {
      await knownContact(ctx, trx, tenantId, contactId);
      const lifted = await trx.updateTable('loyalty_blocks').set({ lifted_at: ctx.now(), lifted_by: request.auth!.userId, lift_reason: request.body.reason })
        .where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).where('lifted_at', 'is', null).where('until', '>', ctx.now()).returning(['id', 'until']).execute();
      if (!lifted.length) throw ctx.error('BF_ERR_LOYALTY_NOT_BLOCKED', { id: contactId });
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'loyalty_account', entityId: contactId, action: 'unblock', before: { blocks: lifted }, after: request.body });
    });
    return accountCard(ctx, tenantId, contactId);
  });

  app.get<{ Params: Static<typeof BookingParam> }>('/loyalty/bookings/:bookingId/tenders', { schema: { tags, summary: 'What points, certificates and the deposit pay on a booking', params: BookingParam }, config: { roles: MANAGERS } }, async (request) => {
    // Another business's booking answers like a missing one.
    if (!(await ctx.service('booking').getBooking(request.tenantId, request.params.bookingId))) throw ctx.error('BF_ERR_LOYALTY_BOOKING_NOT_FOUND', { id: request.params.bookingId });
    const { currency } = await ctx.business(request.tenantId);
    const items = await tendersOf(ctx.db, request.tenantId, request.params.bookingId, ['held', 'spent', 'returned']);
    return { items: items.map((t) => ({ kind: t.kind, status: t.status, amount: toMajor(t.amount, currency), points: t.points, certificateNumber: t.certificateNumber ?? null })) };
  });

  app.post<{ Params: Static<typeof BookingParam>; Body: Static<typeof TenderBody> }>('/loyalty/bookings/:bookingId/tenders', { schema: { tags, summary: 'Pay part of a booking at the desk with points, a certificate or the deposit (held until the visit)', params: BookingParam, body: TenderBody }, config: { roles: MANAGERS } }, async (request, reply) => {
    const { tenantId } = request;
    const booking = await ctx.service('booking').getBooking(tenantId, request.params.bookingId);
    if (!booking) throw ctx.error('BF_ERR_LOYALTY_BOOKING_NOT_FOUND', { id: request.params.bookingId });
    const { kind, certificateNumber } = request.body;
    const amount = exactMinor(request.body.amount, booking.price.currency);
    if (!amount) throw ctx.error('BF_ERR_LOYALTY_AMOUNT_INVALID', { amount: request.body.amount });
    const applied = await ctx.transaction((trx) => applyTender(ctx, trx, tenantId, { bookingId: booking.id, contactId: booking.clientId, kind, amount, certificateNumber }, booking));
    return reply.status(201).send({ kind, applied: toMajor(applied.applied, booking.price.currency) });
  });
};
