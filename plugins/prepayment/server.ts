import type { PluginServer } from '../../plugin-sdk.js';
import type { Contributions } from '../../plugin-sdk.js';
import { holdForPayment, confirmBooking, onBookingCancelled, onBookingCreated, onStatusChanged, telegramPayments } from './lib/holds.js';
import { prepaymentService } from './lib/service.js';
import { sendRefund } from './lib/refunds.js';
import { createLink } from './lib/gateways.js';
import { publicPayment } from './lib/public-payment.js';
import { recordPricing } from './lib/breakdown.js';
import { reconcileYesterday } from './lib/reconcile.js';
import { tip } from './lib/tips.js';
import { checkGatewayRoots } from './lib/config.js';
import { writeOffTenders } from './lib/write-offs.js';
import { usePoints } from './lib/tenders.js';
import { staffRoutes } from './routes/staff.js';
import { webhookRoutes } from './routes/webhooks.js';
import { moveContact, moveContactBack } from './lib/merges.js';
import { seedDemo } from './demo.js';

const extensions: Contributions = { 'booking.hold': holdForPayment, 'booking.publicPayment': publicPayment };

const plugin: PluginServer = {
  async routes(app, ctx) {
    staffRoutes(app, ctx);
    await webhookRoutes(app, ctx);
  },

  // Typed by contract.ts: a booking's money and the tip offer; its point prepayment.requirement is asked in lib/requirement.ts.
  service: prepaymentService,

  extensions,

  // Pre-checkout queries and successful payments of the business's bot (core's Telegram channel).
  telegramPayments,

  events: {
    'booking.created': async (event, trx, ctx) => {
      await recordPricing(event, trx, ctx);
      await onBookingCreated(event, trx, ctx);
    },
    'booking.status-changed': async (event, trx, ctx) => {
      await onStatusChanged(event, trx);
      await writeOffTenders(event, trx, ctx);
    },
    'booking.cancelled': onBookingCancelled,
  },

  jobs: {
    'confirm-booking': (job, ctx) => confirmBooking(ctx, job.tenantId, job.data),
    'create-link': async (job, ctx) => { await createLink(ctx, job.tenantId, String(job.data.paymentId)); },
    refund: (job, ctx) => sendRefund(ctx, job.tenantId, String(job.data.refundId)),
    reconcile: (_job, ctx) => reconcileYesterday(ctx),
  },

  actions: { tip, 'use-points': usePoints },

  seedDemo,

  onContactsMerged: (trx, merge) => moveContact(trx, merge),
  onContactsUnmerged: (trx, merge) => moveContactBack(trx, merge),

  async onReady(ctx) {
    checkGatewayRoots(ctx);
    await ctx.jobs.every('1 day', 'reconcile');
  },
};

export default plugin;
