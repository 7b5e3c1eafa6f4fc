import type { PluginContext } from '../../../plugin-sdk.js';

/**
 * ctx.changes' channel of the ringing calls: the webhook may land on any instance, the admin's stream on another;
 * announced on the webhook's transaction, so the streams hear of the call once it commits, not before.
 */
export const CALLS_CHANNEL = 'calls';
/** A call Mango never reported ended stops ringing in the studio after this long. */
export const LIVE_WINDOW_MS = 10 * 60_000;
const COLUMNS = ['id', 'direction', 'number', 'contact_id as contactId', 'state', 'started_at as startedAt'] as const;

/** Incoming calls ringing now (appeared within the window, not ended), each with the caller's CRM marks and upcoming bookings. */
export async function ringingCalls(ctx: PluginContext, tenantId: string, after?: Date) {
  const now = ctx.now();
  const since = new Date(Math.max(now.getTime() - LIVE_WINDOW_MS, after?.getTime() ?? 0));
  const calls = await ctx.db.selectFrom('crm_telephony_calls').select(COLUMNS).where('tenant_id', '=', tenantId).where('direction', '=', 'in').where('ended_at', 'is', null)
    .where('started_at', '>', since).orderBy('started_at').limit(20).execute();
  const crm = ctx.service('crm');
  const booking = ctx.service('booking');
  return Promise.all(calls.map(async (c) => {
    const contact = c.contactId ? await ctx.contacts.get(ctx.db, tenantId, c.contactId) : null;
    if (!contact) return { ...c, contact: null };
    const upcoming = (await booking.clientBookings(tenantId, contact.id, { from: now, to: new Date(now.getTime() + 90 * 86_400_000) })).filter((b) => ['pending', 'confirmed', 'held'].includes(b.status));
    return { ...c, contact: { id: contact.id, name: contact.name, marks: await crm.marks(tenantId, contact.id), upcoming } };
  }));
}
