import type { PluginContext } from '../../../plugin-sdk.js';

export interface InterestCategory { key: string; label: string; departments?: string[] }

export interface CrmConfig {
  vipPercent: number;
  sleepingDays: number;
  birthdayDaysAhead: number;
  morningHour: number;
  erasureGraceDays: number;
  retentionMonths: number;
  interestCategories: InterestCategory[];
  privilegeOptions: string[];
}

export const crmConfig = (ctx: PluginContext, tenantId: string) => ctx.config<CrmConfig>(tenantId);

/** The interest a department's visits count towards (by the categories' department names), else null. */
export function categoryOf(categories: InterestCategory[], departmentName: string): string | null {
  const name = departmentName.trim().toLowerCase();
  return categories.find((c) => (c.departments ?? []).some((d) => d.trim().toLowerCase() === name))?.key ?? null;
}
