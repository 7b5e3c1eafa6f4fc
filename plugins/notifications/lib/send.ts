import type { IdentityKind, MessageContent, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { NotificationsConfig } from './config.js';

export interface ClientMessage {
  tenantId: string;
  bookingId: string | null;
  contactId: string;
  /** what the timeline calls it: reminder, created, second, waitlist… */
  kind: string;
  message: MessageContent;
  /** one key is sent once */
  key: string;
  detail?: Record<string, unknown>;
}

/**
 * The channels to try for a client, in order: the one they asked for first (even one the business left out of its
 * order), then the business's `channelOrder`.
 */
export async function channelsFor(q: Tx, tenantId: string, contactId: string, cfg: NotificationsConfig): Promise<IdentityKind[]> {
  const own = await q.selectFrom('notifications_client_channels').select('channel').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).executeTakeFirst();
  const first = own?.channel as IdentityKind | undefined;
  return first ? [first, ...cfg.channelOrder.filter((c) => c !== first)] : cfg.channelOrder;
}

/** Writes a line of a booking's notification timeline. */
export async function logEntry(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string | null, kind: string, detail: Record<string, unknown> = {}, messageId: string | null = null): Promise<void> {
  await trx.insertInto('notifications_log').values({ tenant_id: tenantId, booking_id: bookingId, kind, message_id: messageId, detail: JSON.stringify(detail), at: ctx.now() }).execute();
}

/**
 * Hands a client's message to the outbox in `trx` (sent after commit, in the client's channel order; a channel
 * that cannot reach the client falls back to the next) and notes it in the timeline. A key already used sends nothing.
 */
export async function sendToClient(ctx: PluginContext, trx: Tx, cfg: NotificationsConfig, m: ClientMessage): Promise<string> {
  const sent = await ctx.messages.send(trx, {
    tenantId: m.tenantId, to: { contactId: m.contactId }, purpose: 'transactional', channels: await channelsFor(trx, m.tenantId, m.contactId, cfg),
    idempotencyKey: `notifications:${m.key}`, message: m.message,
  });
  const logged = await trx.selectFrom('notifications_log').select('id').where('tenant_id', '=', m.tenantId).where('message_id', '=', sent.id).executeTakeFirst();
  if (!logged) await logEntry(ctx, trx, m.tenantId, m.bookingId, m.kind, m.detail ?? {}, sent.id);
  return sent.id;
}
