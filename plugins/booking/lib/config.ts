import type { PluginContext } from '../../../plugin-sdk.js';

export interface BookingConfig {
  slotStepMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  defaultRangeDays: number;
  holdMinutes: number;
  autoConfirm: boolean;
  waitlistClaimMinutes: number;
  clientCancelNoticeMinutes: number;
  publicRateLimitPerMinute: number;
  publicMaxUpcomingPerPhone: number;
  publicMaxBookingsPerHour: number;
  publicConfirmByCode: boolean;
}

export const bookingConfig = (ctx: PluginContext, tenantId: string) => ctx.config<BookingConfig>(tenantId);

export async function tenantTimezone(ctx: PluginContext, tenantId: string): Promise<string> {
  return (await ctx.business(tenantId)).timezone;
}
