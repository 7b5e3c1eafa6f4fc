import type { PluginContext, PluginServer, Tx } from '../../plugin-sdk.js';
import type { LoyaltyService } from './contract.js';
import { accountOf, entriesOf } from './lib/account.js';
import { loyaltyConfig, tierOf } from './lib/config.js';
import { lockAccount, post } from './lib/ledger.js';
import { percentPoints, toMajor } from './lib/money.js';
import { noticeExpiry, onCancelled, onCompleted, onCompletionUndone, onCreated, onStatusChanged } from './lib/rules.js';
import { sheetFile } from './lib/sheet.js';
import { applyTender, redeemable, tendersOf } from './lib/tenders.js';
import { blockVeto, deskWarnings } from './lib/veto.js';
import { accountRoutes } from './routes/accounts.js';
import { certificateRoutes } from './routes/certificates.js';
import { reportRoutes } from './routes/reports.js';
import { myPoints } from './runtime/my-points.js';
import { offerPoints } from './runtime/offer-points.js';
import { segmentFields } from './lib/segment-fields.js';

function loyaltyService(ctx: PluginContext): LoyaltyService {
  return {
    account: (tenantId, contactId, q) => accountOf(ctx, tenantId, contactId, q),
    entries: (tenantId, contactId, q = ctx.db) => entriesOf(ctx, q, tenantId, contactId, 10_000),
    async pointsToEarn(tenantId, contactId, price, q = ctx.db) {
      const [cfg, account] = await Promise.all([loyaltyConfig(ctx, tenantId, q), q.selectFrom('loyalty_accounts').select(['spent', 'visits']).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).executeTakeFirst()]);
      const tier = tierOf(cfg, toMajor(Number(account?.spent ?? 0), price.currency), account?.visits ?? 0);
      return percentPoints(price.amount, tier.percent, price.currency);
    },
    applyTender: (trx, tenantId, tender) => applyTender(ctx, trx, tenantId, tender),
    async redeemable(tenantId, { bookingId, cover }, q = ctx.db) {
      const booking = await ctx.service('booking').getBooking(tenantId, bookingId);
      if (!booking) throw ctx.error('BF_ERR_LOYALTY_BOOKING_NOT_FOUND', { id: bookingId });
      const account = await q.selectFrom('loyalty_accounts').select('balance').where('tenant_id', '=', tenantId).where('contact_id', '=', booking.clientId).executeTakeFirst();
      return redeemable(ctx, q, tenantId, booking, account?.balance ?? 0, cover);
    },
    async tenders(tenantId, bookingId, q = ctx.db) {
      return (await tendersOf(q, tenantId, bookingId)).map((t) => ({ kind: t.kind, amount: t.amount, ...(t.certificateNumber ? { certificateNumber: t.certificateNumber } : {}) }));
    },
    async credit(trx, tenantId, e) {
      const { posted, balanceAfter } = await post(ctx, trx, tenantId, { contactId: e.contactId, ledger: 'points', kind: e.kind, amount: e.points, sourceKind: e.sourceKind, sourceId: e.sourceId, reason: e.reason });
      return { posted, balance: balanceAfter };
    },
    sheet: sheetFile,
  };
}

/** An accrual's points that are still there when it expires (what was spent meanwhile is not taken twice). */
async function expire(ctx: PluginContext, trx: Tx, tenantId: string, data: { contactId: string; sourceId: string; points: number }) {
  const acc = await lockAccount(trx, tenantId, data.contactId);
  const points = Math.min(acc.balance, data.points);
  if (points > 0) await post(ctx, trx, tenantId, { contactId: data.contactId, ledger: 'points', kind: 'expiry', amount: -points, sourceKind: 'expiry', sourceId: data.sourceId });
}

const plugin: PluginServer = {
  service: loyaltyService,
  routes(app, ctx) {
    accountRoutes(app, ctx);
    certificateRoutes(app, ctx);
    reportRoutes(app, ctx);
  },
  extensions: {
    'booking.beforeCreate': (input, ctx, call) => blockVeto(input, ctx, call.tenantId),
    'booking.clientWarnings': (input, ctx, call) => deskWarnings(input, ctx, call.tenantId),
  },
  events: {
    'booking.created': onCreated,
    'booking.completed': onCompleted,
    'booking.completion-undone': onCompletionUndone,
    'booking.cancelled': onCancelled,
    'booking.status-changed': onStatusChanged,
  },
  jobs: {
    expire: (job, ctx) => ctx.transaction((trx) => expire(ctx, trx, job.tenantId, job.data as { contactId: string; sourceId: string; points: number })),
    'expiry-notice': (job, ctx) => ctx.transaction((trx) => noticeExpiry(ctx, trx, job.tenantId, job.data as { contactId: string; sourceId: string; points: number; expiresAt: string })),
  },
  nodes: { 'loyalty.my-points': myPoints, 'loyalty.offer-points': offerPoints },
  segmentFields,
  async seedDemo(ctx, trx, tenantId) {
    // A few demo clients hold points, so the card, the bot's "My points" and the offer show something.
    const { items } = await ctx.contacts.search(trx, tenantId, { limit: 4 });
    for (const [i, c] of items.entries()) {
      await post(ctx, trx, tenantId, { contactId: c.id, ledger: 'points', kind: 'manual', amount: 300 + i * 450, sourceKind: 'demo', sourceId: c.id, reason: 'Welcome points' });
    }
  },
};

export default plugin;
