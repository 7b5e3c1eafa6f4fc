import type { Db, PluginContext, Tx } from '../../../plugin-sdk.js';

export interface BookingConfig {
  slotStepMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  defaultRangeDays: number;
  holdMinutes: number;
  cancelUndoMinutes: number;
  autoConfirm: boolean;
  waitlistClaimMinutes: number;
  clientCancelNoticeMinutes: number;
  publicRateLimitPerMinute: number;
  publicMaxUpcomingPerPhone: number;
  publicMaxBookingsPerHour: number;
  publicConfirmByCode: boolean;
}

/** `q`: the caller's transaction, when it holds one. */
export const bookingConfig = (ctx: PluginContext, tenantId: string, q?: Db | Tx) => ctx.config<BookingConfig>(tenantId, q);

export async function tenantTimezone(ctx: PluginContext, tenantId: string, q?: Db | Tx): Promise<string> {
  return (await ctx.business(tenantId, q)).timezone;
}
