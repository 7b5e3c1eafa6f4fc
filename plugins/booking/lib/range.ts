import type { PluginContext } from '../../../plugin-sdk.js';
import { bookingConfig } from './config.js';

const DAY = 86_400_000;
const MAX_DAYS = 62;

/** A query range: default from now for the configured number of days; at most 62 days. */
export async function parseRange(ctx: PluginContext, tenantId: string, from?: string, to?: string): Promise<{ from: number; to: number }> {
  const start = from ? Date.parse(from) : ctx.now().getTime();
  const end = to ? Date.parse(to) : start + (await bookingConfig(ctx, tenantId)).defaultRangeDays * DAY;
  if (!(start < end) || end - start > MAX_DAYS * DAY) throw ctx.error('BF_ERR_BOOKING_RANGE_INVALID', { from: from ?? new Date(start).toISOString(), to: to ?? new Date(end).toISOString() });
  return { from: start, to: end };
}
