import type { PluginServer } from '../../plugin-sdk.js';
import { eventRoutes } from './routes/events.js';
import { callRoutes } from './routes/calls.js';
import { callsInPeriod } from './lib/funnel.js';
import { callsOf, forgetRecordings } from './lib/privacy.js';
import { CALLS_CHANNEL } from './lib/live.js';
import { MANGO_ROOT } from './lib/mango.js';

const plugin: PluginServer = {
  routes(app, ctx) {
    eventRoutes(app, ctx);
    callRoutes(app, ctx);
  },
  // The funnel's first step (crm's reports).
  extensions: {
    'crm.calls': (input, ctx, call) => callsInPeriod(ctx, call.tenantId, input.from, input.to),
    'crm.export': (input, ctx, call) => callsOf(ctx, call.tenantId, input.contactId),
    'crm.retention': (input, ctx, call) => forgetRecordings(ctx, call.tenantId, input.before),
  },
  onReady: async (ctx) => {
    // Asked once at start so a MANGO_API_ROOT that production refuses is warned about before the first call.
    ctx.externalApiRoot(MANGO_ROOT.variable, MANGO_ROOT.real);
    // Every instance hears of every call, so an admin's popup opens whichever instance Mango's webhook reached.
    ctx.changes(CALLS_CHANNEL);
  },
  // The call log keeps the number as it rang, without the person: their contact is gone.
  onContactErased: async (trx, e) => {
    await trx.updateTable('crm_telephony_calls').set({ contact_id: null, number: '', recording_url: null }).where('tenant_id', '=', e.tenantId).where('contact_id', '=', e.contactId).execute();
  },
  onContactsMerged: async (trx, m) => {
    await trx.updateTable('crm_telephony_calls').set({ contact_id: m.keptId }).where('tenant_id', '=', m.tenantId).where('contact_id', '=', m.mergedId).execute();
  },
};

export default plugin;
