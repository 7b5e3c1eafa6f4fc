import type { PluginServer } from '../../plugin-sdk.js';
import { cardRoutes } from './routes/cards.js';
import { courseRoutes } from './routes/courses.js';
import { dayRoutes } from './routes/day.js';
import { privacyRoutes } from './routes/privacy.js';
import { reportRoutes } from './routes/reports.js';
import { refreshStatus } from './lib/status.js';
import { ensureMorning, runMorning } from './lib/morning.js';
import { lockedSpecialistVeto, staffChoice } from './lib/staff-rules.js';
import { offerEarlierTime } from './lib/earlier.js';
import { earlierCandidates } from './lib/earlier-candidates.js';
import { eraseDue, eraseContactData, moveCard } from './lib/erasure.js';
import { seedDemo } from './demo.js';
import { applyRetention } from './lib/retention.js';
import { crmService } from './lib/service.js';

const plugin: PluginServer = {
  routes(app, ctx) {
    cardRoutes(app, ctx);
    courseRoutes(app, ctx);
    dayRoutes(app, ctx);
    privacyRoutes(app, ctx);
    reportRoutes(app, ctx);
  },

  service: crmService,

  extensions: {
    'booking.staffChoice': (input, ctx, call) => staffChoice(input, ctx, call.tenantId),
    'booking.beforeCreate': (input, ctx, call) => lockedSpecialistVeto(input, ctx, call.tenantId),
    'booking.freedTimeCandidates': (input, ctx, call) => earlierCandidates(input, ctx, call.tenantId),
  },

  events: {
    'booking.completed': async (event, trx, ctx) => { await refreshStatus(ctx, trx, event.tenantId, event.payload.clientId); },
    // Points moved: the tier, and with it VIP, may have moved too.
    'loyalty.points-changed': async (event, trx, ctx) => { await refreshStatus(ctx, trx, event.tenantId, event.payload.contactId); },
    'booking.created': async (event, trx, ctx) => ensureMorning(ctx, event.tenantId, trx),
    'booking.slot-freed': async (event, trx, ctx) => offerEarlierTime(ctx, trx, event.tenantId, event.payload),
  },

  jobs: {
    morning: async (job, ctx) => { await runMorning(ctx, job.tenantId); await applyRetention(ctx, job.tenantId); },
    'erase-due': async (job, ctx) => eraseDue(ctx, job.tenantId, String(job.data.contactId)),
  },

  onContactsMerged: (trx, merge) => moveCard(trx, merge.tenantId, merge.mergedId, merge.keptId),
  onContactErased: (trx, erasure, ctx) => eraseContactData(ctx, trx, erasure.tenantId, erasure.contactId),

  seedDemo,
};

export default plugin;
