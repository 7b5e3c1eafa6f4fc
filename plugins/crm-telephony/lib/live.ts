import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';

/** ctx.listen's channel; NOTIFY names it in full (plugin-sdk.d.ts listen: non-word characters of the id become `_`). */
const CHANNEL = 'calls';
const NOTIFY_CHANNEL = `bookflow_crm_telephony_${CHANNEL}`;
/** A call Mango never reported ended stops ringing in the studio after this long. */
export const LIVE_WINDOW_MS = 10 * 60_000;
const COLUMNS = ['id', 'direction', 'number', 'contact_id as contactId', 'state', 'started_at as startedAt'] as const;

/**
 * One LISTEN per app instance tells that instance's open call streams that a business's calls changed: the webhook
 * may land on any instance, the admin's stream on another.
 */
export class CallHub {
  private readonly bus = new EventEmitter().setMaxListeners(0);
  private stop: (() => Promise<void>) | undefined;

  async start(ctx: PluginContext): Promise<void> {
    this.stop = await ctx.listen(CHANNEL, (tenantId) => { if (tenantId) this.bus.emit(tenantId); });
  }

  async close(): Promise<void> {
    await this.stop?.();
    this.stop = undefined;
  }

  on(tenantId: string, fn: () => void): () => void {
    this.bus.on(tenantId, fn);
    return () => { this.bus.off(tenantId, fn); };
  }
}

const hubs = new WeakMap<PluginContext, CallHub>();
/** The hub of this app instance (one plugin context per instance). */
export const callHub = (ctx: PluginContext): CallHub => {
  let hub = hubs.get(ctx);
  if (!hub) hubs.set(ctx, (hub = new CallHub()));
  return hub;
};

/** On the webhook's transaction: the streams hear of the call once it commits, not before. */
export async function announceCallChange(trx: Tx, tenantId: string): Promise<void> {
  await sql`SELECT pg_notify(${NOTIFY_CHANNEL}, ${tenantId})`.execute(trx);
}

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
