import type { ActionHandler, ActionResult, Locale, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { BookingSummary } from '../../booking/contract.js';
import { clockIn } from './compose.js';
import { notificationsConfig } from './config.js';
import { callTaskKey, escalationKey } from './keys.js';
import { logEntry } from './send.js';

const reply = (text: string, removeButtons = true): ActionResult => ({ reply: { text }, removeButtons });
const isCoded = (e: unknown, ...codes: string[]) => codes.includes((e as { code?: string } | null)?.code ?? '');

/** The client reacted: the escalation stops, an open "call the client" task is closed, the timeline notes it. */
export async function reacted(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string, reaction: string, actorId: string | null = null): Promise<void> {
  await ctx.jobs.cancel({ tenantId, key: escalationKey(bookingId), trx });
  await ctx.tasks.close(trx, tenantId, callTaskKey(bookingId), { status: 'done', result: reaction, actorId });
  await logEntry(ctx, trx, tenantId, bookingId, `reaction:${reaction}`);
}

/** The booking the button is about, if it is this contact's own. */
async function ownBooking(ctx: PluginContext, tenantId: string, contactId: string, id: unknown): Promise<BookingSummary | undefined> {
  const b = typeof id === 'string' ? await ctx.service('booking').getBooking(tenantId, id) : undefined;
  return b && b.clientId === contactId ? b : undefined;
}

async function whenText(ctx: PluginContext, tenantId: string, contactId: string, iso: string, locale: Locale) {
  const [business, contact] = await Promise.all([ctx.business(tenantId), ctx.contacts.get(ctx.db, tenantId, contactId)]);
  const clock = clockIn(contact?.timezone ?? business.timezone);
  return { date: clock.date(iso, locale), time: clock.time(iso) };
}

const confirm: ActionHandler = async (input, trx, ctx) => {
  const b = await ownBooking(ctx, input.tenantId, input.contactId, input.payload.bookingId);
  if (!b) return reply(ctx.t(input.locale, 'reply.stale'));
  try {
    const done = await ctx.service('booking').confirmByClient(input.tenantId, b.id, input.contactId);
    await reacted(ctx, trx, input.tenantId, b.id, 'confirmed');
    return reply(ctx.t(input.locale, 'reply.confirmed', await whenText(ctx, input.tenantId, input.contactId, done.start, input.locale)));
  } catch (e) {
    if (isCoded(e, 'BF_ERR_BOOKING_FINISHED', 'BF_ERR_BOOKING_NOT_FOUND')) return reply(ctx.t(input.locale, 'reply.stale'));
    throw e;
  }
};

/** Cancels through booking's own client rule (its cut-off): too late, the client is told to call and nothing changes. */
const cancel: ActionHandler = async (input, trx, ctx) => {
  const b = await ownBooking(ctx, input.tenantId, input.contactId, input.payload.bookingId);
  if (!b || !['pending', 'confirmed'].includes(b.status)) return reply(ctx.t(input.locale, 'reply.stale'));
  try {
    await ctx.service('booking').cancelByClient(input.tenantId, b.id, input.contactId, ctx.t(input.locale, 'button.cancel'));
  } catch (e) {
    if (isCoded(e, 'BF_ERR_BOOKING_TOO_LATE')) return reply(await tooLateText(ctx, input.tenantId, input.locale), false);
    if (isCoded(e, 'BF_ERR_BOOKING_FINISHED', 'BF_ERR_BOOKING_NOT_FOUND')) return reply(ctx.t(input.locale, 'reply.stale'));
    throw e;
  }
  await reacted(ctx, trx, input.tenantId, b.id, 'cancelled');
  return reply(ctx.t(input.locale, 'reply.cancelled'));
};

/** "Too late to cancel here": with the phone the business gives in its messages, when it gave one. */
async function tooLateText(ctx: PluginContext, tenantId: string, locale: Locale): Promise<string> {
  const { businessPhone } = await notificationsConfig(ctx, tenantId);
  return businessPhone ? ctx.t(locale, 'reply.tooLateCall', { phone: businessPhone }) : ctx.t(locale, 'reply.tooLate');
}

const take: ActionHandler = async (input, trx, ctx) => {
  const b = await ownBooking(ctx, input.tenantId, input.contactId, input.payload.bookingId);
  if (!b) return reply(ctx.t(input.locale, 'reply.offerGone'));
  try {
    const booked = await ctx.service('booking').claimWaitlistOffer(input.tenantId, String(input.payload.waitlistId), { kind: 'client', id: input.contactId });
    await logEntry(ctx, trx, input.tenantId, b.id, 'reaction:taken');
    return reply(ctx.t(input.locale, 'reply.taken', { service: booked.serviceName, ...(await whenText(ctx, input.tenantId, input.contactId, booked.start, input.locale)) }));
  } catch (e) {
    if (isCoded(e, 'BF_ERR_BOOKING_OFFER_EXPIRED', 'BF_ERR_BOOKING_WAITLIST_NOT_FOUND', 'BF_ERR_BOOKING_BAD_TRANSITION')) return reply(ctx.t(input.locale, 'reply.offerGone'));
    throw e;
  }
};

/** One of the alternatives offered for a blocked period: the booking moves there. */
const moveTo: ActionHandler = async (input, trx, ctx) => {
  const b = await ownBooking(ctx, input.tenantId, input.contactId, input.payload.bookingId);
  if (!b || !['pending', 'confirmed'].includes(b.status)) return reply(ctx.t(input.locale, 'reply.stale'));
  const start = new Date(String(input.payload.start));
  try {
    const moved = await ctx.service('booking').reschedule(input.tenantId, b.id, { start, resourceIds: input.payload.resourceIds as string[] }, { kind: 'client', id: input.contactId });
    await reacted(ctx, trx, input.tenantId, b.id, 'moved');
    return reply(ctx.t(input.locale, 'reply.moved', await whenText(ctx, input.tenantId, input.contactId, moved.start, input.locale)));
  } catch (e) {
    // Taken meanwhile: the other buttons stay to choose from.
    if (isCoded(e, 'BF_ERR_SLOT_TAKEN', 'BF_ERR_BOOKING_SLOT_UNAVAILABLE')) return reply(ctx.t(input.locale, 'reply.slotGone'), false);
    throw e;
  }
};

export const clientActions: Record<string, ActionHandler> = { confirm, cancel, take, 'move-to': moveTo };
