import type { PluginContext, PluginServer, Tx } from '../../plugin-sdk.js';
import { catalogRoutes } from './routes/catalog.js';
import { scheduleRoutes } from './routes/schedules.js';
import { bookingRoutes } from './routes/bookings.js';
import { slotRoutes } from './routes/slots.js';
import { publicRoutes } from './routes/public.js';
import { verificationRoutes } from './routes/verifications.js';
import { waitlistRoutes } from './routes/waitlist.js';
import { expireHoldIn, inTransaction } from './lib/bookings.js';
import { offerFreedTime, type FreedSlot } from './lib/waitlist.js';
import { purgeVerifications } from './lib/verification.js';
import { cancelTestBookings } from './lib/test-bookings.js';
import { seedDemo } from './demo/seed.js';
import { nodeRuntimes } from './runtime/index.js';
import { bookingService } from './lib/service.js';
import { journalRoutes } from './routes/journal.js';
import { deskRoutes } from './routes/desk.js';
import { sheetRoutes } from './routes/sheet.js';
import { JOURNAL_CHANNEL, JOURNAL_EVENTS } from './lib/live.js';
import { segmentFields } from './segments.js';
import { eraseClientData, moveClientData, moveClientDataBack } from './lib/merges.js';

const plugin: PluginServer = {
  routes(app, ctx) {
    catalogRoutes(app, ctx);
    scheduleRoutes(app, ctx);
    slotRoutes(app, ctx);
    journalRoutes(app, ctx);
    deskRoutes(app, ctx);
    sheetRoutes(app, ctx);
    bookingRoutes(app, ctx);
    waitlistRoutes(app, ctx);
    publicRoutes(app, ctx);
    verificationRoutes(app, ctx);
  },

  // Typed by contract.ts; its extension points are declared in plugin.json and called in lib/bookings.ts and lib/availability.ts.
  service: bookingService,

  jobs: {
    // Queries already treat an expired hold as free; this makes it visible in lists and history.
    'expire-hold': async (job, ctx) => {
      const { bookingId } = job.data as { bookingId: string };
      await inTransaction(ctx, undefined, (trx) => expireHoldIn(ctx, trx, job.tenantId, bookingId));
    },
    'purge-verifications': (_job, ctx) => purgeVerifications(ctx),
  },

  events: {
    'booking.slot-freed': async (event, trx, ctx) => offerFreedTime(ctx, trx, event.tenantId, event.payload as FreedSlot),
    // Open journals everywhere reload: another admin, the bot or the widget changed the day.
    ...Object.fromEntries(JOURNAL_EVENTS.map((type) => [type, (event: { tenantId: string }, trx: Tx, ctx: PluginContext) => ctx.changes(JOURNAL_CHANNEL).announce(trx, event.tenantId)])),
    'flow.test-chat-closed': async (event, trx, ctx) => cancelTestBookings(ctx, trx, event.tenantId, (event.payload as { chatId: string }).chatId),
  },

  nodes: nodeRuntimes,

  segmentFields,

  softDelete: [
    { entity: 'booking_department', table: 'booking_departments', label: 'name' },
    { entity: 'booking_resource', table: 'booking_resources', label: 'name' },
    { entity: 'booking_service', table: 'booking_services', label: 'name' },
    { entity: 'booking_exception', table: 'booking_exceptions', label: 'reason' },
    { entity: 'booking_service_exception', table: 'booking_service_exceptions', label: 'reason' },
  ],

  seedDemo,

  // A booking's client is a contact: merged contacts take their bookings and waitlist entries along.
  onContactsMerged: (trx, merge) => moveClientData(trx, merge),
  onContactsUnmerged: (trx, merge) => moveClientDataBack(trx, merge),
  onContactErased: (trx, erasure) => eraseClientData(trx, erasure),

  async onReady(ctx) {
    await ctx.jobs.every('1 hour', 'purge-verifications');
    // Made now, so it listens before the first journal opens.
    ctx.changes(JOURNAL_CHANNEL);
  },
};

export default plugin;
