import type { DomainEvent, EventHandler, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { BookingSummary } from '../../booking/contract.js';
import { notificationsConfig } from './config.js';
import { bookingButtons, bookingFacts, everyLanguage, placeholders, renderTemplate } from './compose.js';
import { clearReminders, REMINDED, scheduleReminders } from './reminders.js';
import { sendToClient } from './send.js';
import { bookingAlert } from './staff-alerts.js';
import { offerAlternatives } from './alternatives.js';

type Payload = Record<string, any>;

const current = (ctx: PluginContext, tenantId: string, id: string) => ctx.service('booking').getBooking(tenantId, id);

/** A booking the client now has (made, or a hold that became one): its confirmation with the buttons, its reminders, the specialist told. */
async function welcome(ctx: PluginContext, trx: Tx, event: DomainEvent<Payload>, b: BookingSummary): Promise<void> {
  const cfg = await notificationsConfig(ctx, event.tenantId, trx);
  const facts = await bookingFacts(ctx, event.tenantId, b, cfg);
  await scheduleReminders(ctx, trx, event.tenantId, b, cfg);
  await sendToClient(ctx, trx, cfg, {
    tenantId: event.tenantId, bookingId: b.id, contactId: b.clientId, kind: 'created', key: `created:${b.id}`,
    message: { text: renderTemplate(ctx, cfg, 'created', (l) => placeholders(ctx, facts, l)), buttons: bookingButtons(ctx, facts, cfg.rescheduleFlow, !b.clientConfirmedAt) },
  });
  await bookingAlert(ctx, trx, event.tenantId, facts, 'new', `booking-new:${b.id}`);
}

const created: EventHandler = async (event, trx, ctx) => {
  const b = await current(ctx, event.tenantId, event.payload.bookingId);
  if (b && REMINDED.includes(b.status)) await welcome(ctx, trx, event, b);
};

/**
 * Removes the reminders of a booking that left the reminded statuses, judged by the booking as it is now: deliveries
 * of different events may come out of order (a retried one comes later), and a late cancel must not wipe the
 * reminders of the booking restored after it.
 */
async function clearUnlessReminded(ctx: PluginContext, trx: Tx, tenantId: string, b: BookingSummary | undefined, bookingId: string): Promise<void> {
  if (!b || !REMINDED.includes(b.status)) await clearReminders(ctx, trx, tenantId, bookingId);
}

const statusChanged: EventHandler = async (event, trx, ctx) => {
  const { bookingId, from, to } = event.payload as Payload;
  if (!REMINDED.includes(to)) {
    await clearUnlessReminded(ctx, trx, event.tenantId, await current(ctx, event.tenantId, bookingId), bookingId);
    return;
  }
  // A hold became a booking (a claimed waitlist offer, a paid prepayment): now it is the client's.
  if (from === 'held') {
    const b = await current(ctx, event.tenantId, bookingId);
    if (b && REMINDED.includes(b.status)) await welcome(ctx, trx, event, b);
  }
};

const cancelled: EventHandler = async (event, trx, ctx) => {
  const p = event.payload as Payload;
  const b = await current(ctx, event.tenantId, p.bookingId);
  await clearUnlessReminded(ctx, trx, event.tenantId, b, p.bookingId);
  if (!b) return;
  const cfg = await notificationsConfig(ctx, event.tenantId, trx);
  const facts = await bookingFacts(ctx, event.tenantId, b, cfg);
  // The client who cancelled heard it in the chat; an expired hold was never theirs. Keyed by the event: a booking
  // cancelled again after a restore is told again.
  if (p.by === 'user') {
    await sendToClient(ctx, trx, cfg, {
      tenantId: event.tenantId, bookingId: b.id, contactId: b.clientId, kind: 'cancelled', key: `cancelled:${b.id}:${event.id}`, detail: { reason: p.reason },
      message: { text: renderTemplate(ctx, cfg, 'cancelled', (l) => placeholders(ctx, facts, l, { reason: p.reason })) },
    });
  }
  if (p.by !== 'system') await bookingAlert(ctx, trx, event.tenantId, facts, 'cancelled', `booking-cancelled:${b.id}`);
};

const rescheduled: EventHandler = async (event, trx, ctx) => {
  const p = event.payload as Payload;
  const b = await current(ctx, event.tenantId, p.bookingId);
  if (!b || !REMINDED.includes(b.status)) return;
  const cfg = await notificationsConfig(ctx, event.tenantId, trx);
  const facts = await bookingFacts(ctx, event.tenantId, b, cfg);
  await scheduleReminders(ctx, trx, event.tenantId, b, cfg);
  await sendToClient(ctx, trx, cfg, {
    tenantId: event.tenantId, bookingId: b.id, contactId: b.clientId, kind: 'rescheduled', key: `moved:${b.id}:${event.id}`, detail: { from: p.from.start, to: p.to.start },
    message: { text: renderTemplate(ctx, cfg, 'rescheduled', (l) => placeholders(ctx, facts, l)), buttons: bookingButtons(ctx, facts, cfg.rescheduleFlow, false) },
  });
  await bookingAlert(ctx, trx, event.tenantId, facts, 'changed', `booking-moved:${event.id}`);
};

/**
 * A cancellation taken back (undo from the card, or the trash): the client is told the booking is back, and it gets
 * its reminders again, those still ahead on the clock now. Its status-changed event (from `cancelled`) leaves
 * reminders alone.
 */
const restored: EventHandler = async (event, trx, ctx) => {
  const b = await current(ctx, event.tenantId, event.payload.bookingId);
  if (!b || !REMINDED.includes(b.status)) return;
  const cfg = await notificationsConfig(ctx, event.tenantId, trx);
  const facts = await bookingFacts(ctx, event.tenantId, b, cfg);
  await scheduleReminders(ctx, trx, event.tenantId, b, cfg);
  await sendToClient(ctx, trx, cfg, {
    tenantId: event.tenantId, bookingId: b.id, contactId: b.clientId, kind: 'restored', key: `restored:${b.id}:${event.id}`,
    message: { text: renderTemplate(ctx, cfg, 'restored', (l) => placeholders(ctx, facts, l)), buttons: bookingButtons(ctx, facts, cfg.rescheduleFlow, !b.clientConfirmedAt) },
  });
};

/** Freed time held for a waiter: "take it" until the claim deadline (then booking offers the next waiter). */
const waitlistOffered: EventHandler = async (event, trx, ctx) => {
  const p = event.payload as Payload;
  const b = await current(ctx, event.tenantId, p.bookingId);
  if (!b || b.status !== 'held') return;
  const cfg = await notificationsConfig(ctx, event.tenantId, trx);
  const facts = await bookingFacts(ctx, event.tenantId, b, cfg);
  await sendToClient(ctx, trx, cfg, {
    tenantId: event.tenantId, bookingId: b.id, contactId: b.clientId, kind: 'waitlist', key: `waitlist:${p.waitlistId}:${b.id}`, detail: { expiresAt: p.expiresAt },
    message: {
      text: renderTemplate(ctx, cfg, 'waitlist', (l) => placeholders(ctx, facts, l, { until: facts.clock.time(p.expiresAt) })),
      buttons: [[{ label: everyLanguage(ctx, 'button.take'), action: 'notifications.take', payload: { waitlistId: p.waitlistId, bookingId: b.id } }]],
    },
  });
};

const periodBlocked: EventHandler = async (event, trx, ctx) => {
  const p = event.payload as Payload;
  for (const id of p.bookingIds as string[]) await offerAlternatives(ctx, trx, event.tenantId, id, { resourceId: p.resourceId, start: p.start, end: p.end, eventId: event.id });
};

export const bookingEvents: Record<string, EventHandler> = {
  'booking.created': created,
  'booking.status-changed': statusChanged,
  'booking.cancelled': cancelled,
  'booking.rescheduled': rescheduled,
  'booking.restored': restored,
  'booking.waitlist-offered': waitlistOffered,
  'booking.period-blocked': periodBlocked,
};
