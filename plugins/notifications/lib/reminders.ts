import type { JobInfo, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { BookingSummary } from '../../booking/contract.js';
import { notificationsConfig, offsetsFor, type NotificationsConfig } from './config.js';
import { reminderTimes, stepTime } from './reminder-times.js';
import { bookingButtons, bookingFacts, placeholders, renderTemplate } from './compose.js';
import { sendToClient } from './send.js';
import { callClient } from './staff-alerts.js';
import { escalationKey, reminderKey } from './keys.js';

/** Bookings that still get reminders. */
export const REMINDED: BookingSummary['status'][] = ['pending', 'confirmed'];

/** Removes a booking's reminders and its escalation (cancelled, finished, or about to be scheduled anew). */
export async function clearReminders(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string): Promise<void> {
  const rows = await trx.deleteFrom('notifications_reminders').where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId).returning('offset_min').execute();
  for (const r of rows) await ctx.jobs.cancel({ tenantId, key: reminderKey(bookingId, r.offset_min), trx });
  await ctx.jobs.cancel({ tenantId, key: escalationKey(bookingId), trx });
}

/**
 * (Re)schedules a booking's reminders in `trx`, one keyed job per offset: a moved booking's old ones go, offsets
 * already past are skipped, quiet hours move a reminder earlier.
 */
export async function scheduleReminders(ctx: PluginContext, trx: Tx, tenantId: string, booking: Pick<BookingSummary, 'id' | 'serviceId' | 'start'>, cfg: NotificationsConfig): Promise<number> {
  await clearReminders(ctx, trx, tenantId, booking.id);
  const [{ timezone }, offsets] = await Promise.all([ctx.business(tenantId, trx), offsetsFor(ctx, trx, tenantId, booking.serviceId, cfg)]);
  const times = reminderTimes(new Date(booking.start), offsets, ctx.now(), cfg.quietHours, timezone);
  if (!times.length) return 0;
  await trx.insertInto('notifications_reminders').values(times.map((r) => ({ tenant_id: tenantId, booking_id: booking.id, offset_min: r.offset, run_at: r.at }))).execute();
  for (const r of times) await ctx.jobs.schedule(r.at, 'remind', { bookingId: booking.id, offset: r.offset, start: booking.start }, { tenantId, key: reminderKey(booking.id, r.offset), trx });
  return times.length;
}

/** The booking as it is now, if it is still the visit the job was scheduled for. */
async function stillDue(ctx: PluginContext, tenantId: string, bookingId: string, start: string): Promise<BookingSummary | undefined> {
  const b = await ctx.service('booking').getBooking(tenantId, bookingId);
  return b && REMINDED.includes(b.status) && Date.parse(b.start) === Date.parse(start) ? b : undefined;
}

/** A reminder is due: it goes out with Confirm / Cancel / Move; the one that asks for confirmation starts the escalation. */
export async function remind(job: JobInfo<{ bookingId: string; offset: number; start: string }>, ctx: PluginContext): Promise<void> {
  const { tenantId, data } = job;
  const booking = await stillDue(ctx, tenantId, data.bookingId, data.start);
  if (!booking) return;
  const cfg = await notificationsConfig(ctx, tenantId);
  const facts = await bookingFacts(ctx, tenantId, booking, cfg);
  const needsConfirmation = data.offset === cfg.confirmOffsetMinutes && !booking.clientConfirmedAt;
  const { timezone } = await ctx.business(tenantId);
  await ctx.transaction(async (trx) => {
    await sendToClient(ctx, trx, cfg, {
      tenantId, bookingId: booking.id, contactId: booking.clientId, kind: 'reminder', key: `reminder:${booking.id}:${data.offset}:${booking.start}`,
      detail: { offset: data.offset, needsConfirmation },
      message: { text: renderTemplate(ctx, cfg, 'reminder', (l) => placeholders(ctx, facts, l)), buttons: bookingButtons(ctx, facts, cfg.rescheduleFlow, !booking.clientConfirmedAt) },
    });
    if (!needsConfirmation) return;
    const at = stepTime(new Date(booking.start), cfg.secondReminderMinutes, ctx.now(), cfg.quietHours, timezone) ?? ctx.now();
    await ctx.jobs.schedule(at, 'escalate', { bookingId: booking.id, start: booking.start, step: 1 }, { tenantId, key: escalationKey(booking.id), trx });
  });
}

/**
 * No reaction to the reminder that asked: first a second, shorter reminder; then a "call the client" task for the
 * admins and an alert in their Telegram. Any reaction (confirm, cancel, move) ends it.
 */
export async function escalate(job: JobInfo<{ bookingId: string; start: string; step: number }>, ctx: PluginContext): Promise<void> {
  const { tenantId, data } = job;
  const booking = await stillDue(ctx, tenantId, data.bookingId, data.start);
  if (!booking || booking.clientConfirmedAt) return;
  const cfg = await notificationsConfig(ctx, tenantId);
  const facts = await bookingFacts(ctx, tenantId, booking, cfg);
  const { timezone } = await ctx.business(tenantId);
  await ctx.transaction(async (trx) => {
    if (data.step === 1) {
      await sendToClient(ctx, trx, cfg, {
        tenantId, bookingId: booking.id, contactId: booking.clientId, kind: 'second', key: `second:${booking.id}:${booking.start}`,
        message: { text: renderTemplate(ctx, cfg, 'second', (l) => placeholders(ctx, facts, l)), buttons: bookingButtons(ctx, facts, cfg.rescheduleFlow) },
      });
      const at = stepTime(new Date(booking.start), cfg.callTaskMinutes, ctx.now(), cfg.quietHours, timezone) ?? ctx.now();
      await ctx.jobs.schedule(at, 'escalate', { ...data, step: 2 }, { tenantId, key: escalationKey(booking.id), trx });
      return;
    }
    await callClient(ctx, trx, tenantId, facts);
  });
}
