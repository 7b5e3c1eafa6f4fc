import type { PluginServer } from '../../plugin-sdk.js';
import { bookingEvents } from './lib/booking-events.js';
import { clientActions } from './lib/client-actions.js';
import { escalate, remind } from './lib/reminders.js';
import { notificationRoutes } from './lib/routes.js';
import { linkStaff, sendAgenda, staffActions } from './lib/staff.js';
import { notificationsService } from './lib/staff-alerts.js';

const plugin: PluginServer = {
  routes: notificationRoutes,

  // Typed by contract.ts: other plugins (reviews, telephony) alert staff through it.
  service: notificationsService,

  events: bookingEvents,

  jobs: {
    remind,
    escalate,
    agenda: (job, ctx) => sendAgenda(ctx, job.tenantId, String(job.data.userId)),
  },

  // Buttons on clients' messages (confirm, cancel, take, move-to) and on staff's (their day, marks, blocks, calls).
  actions: { ...clientActions, ...staffActions },

  nodes: { 'notifications.link-staff': linkStaff },

  onContactErased: async (trx, e) => {
    await trx.deleteFrom('notifications_client_channels').where('tenant_id', '=', e.tenantId).where('contact_id', '=', e.contactId).execute();
  },
};

export default plugin;
