import type { PluginContext, PluginServer } from '../../plugin-sdk.js';
import type { BroadcastsService } from './contract.js';
import { createCampaign } from './lib/campaigns.js';
import { attributeBooking } from './lib/results.js';
import { startPump } from './lib/pump.js';
import { seedDemo } from './demo.js';
import { routes } from './routes.js';

const pumps = new WeakMap<PluginContext, () => Promise<void>>();

/** Other plugins' campaigns (a hot window's notice): scheduled at once, started by the pump at `sendAt`. */
const service = (ctx: PluginContext): BroadcastsService => ({
  async send(trx, tenantId, campaign) {
    return { id: await createCampaign(ctx, trx, tenantId, campaign, 'scheduled', null) };
  },
});

const plugin: PluginServer = {
  routes,
  service,

  actions: {
    // A link into a flow: counted as the recipient's click, then the flow opens in the chat as the plain button would.
    open: async (input, trx, ctx) => {
      const { campaignId, flow } = input.payload as { campaignId: string; flow: { flowKey: string; nodeId?: string; vars?: Record<string, unknown> } };
      if (input.contactId) {
        await trx.updateTable('broadcasts_recipients').set({ clicked_at: ctx.now() })
          .where('tenant_id', '=', input.tenantId).where('campaign_id', '=', campaignId).where('contact_id', '=', input.contactId).where('clicked_at', 'is', null).execute();
      }
      return { flow };
    },
  },

  events: {
    'contact.unsubscribed': async (event, trx, ctx) => {
      await trx.updateTable('broadcasts_recipients').set({ unsubscribed_at: ctx.now() })
        .where('tenant_id', '=', event.tenantId).where('message_id', '=', event.payload.messageId).where('unsubscribed_at', 'is', null).execute();
    },
    'booking.created': (event, trx, ctx) => attributeBooking(ctx, trx, event.tenantId, event.payload as { bookingId: string; clientId: string; status: string }),
  },

  onReady(ctx) {
    pumps.set(ctx, startPump(ctx));
  },
  async onClose(ctx) {
    await pumps.get(ctx)?.();
  },

  seedDemo,
};

export default plugin;
