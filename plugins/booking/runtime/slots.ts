import { DateTime } from 'luxon';
import type { NodeRunInput, PluginContext } from '../../../plugin-sdk.js';
import { findSlots } from '../lib/availability.js';
import { bookingConfig } from '../lib/config.js';
import type { Slot } from '../slots/engine.js';
import { vars, type Clock } from './common.js';

const DAY = 86_400_000;

/** Free slots of the chosen service (and specialist), over `days` days from today or on one local date. */
export async function chatSlots(ctx: PluginContext, input: NodeRunInput, clk: Clock, range: { days: number } | { date: string }): Promise<Slot[]> {
  const v = vars(input);
  if (!v.bookingServiceId) return [];
  const cfg = await bookingConfig(ctx, input.tenantId);
  const now = ctx.now().getTime();
  const { from, to } = 'date' in range
    ? { from: DateTime.fromISO(range.date, { zone: clk.tz }).startOf('day').toMillis(), to: DateTime.fromISO(range.date, { zone: clk.tz }).plus({ days: 1 }).startOf('day').toMillis() }
    : { from: now, to: now + range.days * DAY };
  // A booking being moved does not stand in the way of its own new time.
  return (await findSlots(ctx, {
    tenantId: input.tenantId, serviceId: v.bookingServiceId, from: Math.max(from, now), to,
    resourceIds: v.bookingResourceId ? [v.bookingResourceId] : undefined, excludeBookingId: v.bookingRescheduleId ?? undefined,
  }, cfg)).slots;
}
