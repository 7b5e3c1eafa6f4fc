import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';

/** ctx.listen's channel; NOTIFY names it in full (plugin-sdk.d.ts listen). */
const CHANNEL = 'journal';
const NOTIFY_CHANNEL = `bookflow_booking_${CHANNEL}`;

/**
 * One LISTEN per app instance tells that instance's open journal streams that a business's bookings changed.
 * The booking events (handled once, by whichever instance's outbox dispatcher takes them) NOTIFY every instance.
 */
export class JournalHub {
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

const hubs = new WeakMap<PluginContext, JournalHub>();
/** The hub of this app instance (one plugin context per instance). */
export const journalHub = (ctx: PluginContext): JournalHub => {
  let hub = hubs.get(ctx);
  if (!hub) hubs.set(ctx, (hub = new JournalHub()));
  return hub;
};

/** On the event's transaction: the streams hear of it once it commits. */
export async function announceJournalChange(trx: Tx, tenantId: string): Promise<void> {
  await sql`SELECT pg_notify(${NOTIFY_CHANNEL}, ${tenantId})`.execute(trx);
}

/** The booking events that change what a journal shows. */
export const JOURNAL_EVENTS = ['booking.created', 'booking.rescheduled', 'booking.status-changed', 'booking.restored'] as const;
