import type { Db, PluginContext, Tx } from '../../../plugin-sdk.js';

export interface Tier { id: string; name: string; percent: number; by: 'spent' | 'visits'; threshold: number }

export interface LoyaltyConfig {
  accrualPercent: number;
  quickRebookDays: number;
  quickRebookBonusPercent: number;
  vipPercent: number;
  maxRedeemPercent: number;
  redeemIntervalDays: number;
  lateCancelHours: number;
  lateCancelPenaltyPercent: number;
  noShowPenaltyPercent: number;
  noShowWindowDays: number;
  blockDays: number;
  expiryMonths: number;
  expiryNoticeDays: number;
  tiers: Tier[];
}

export const loyaltyConfig = (ctx: PluginContext, tenantId: string, q?: Db | Tx) => ctx.config<LoyaltyConfig>(tenantId, q);

export const BASE_TIER = 'base';

/** The best tier the client has reached by money spent (major units) or visits; the base percent always holds. */
export function tierOf(cfg: LoyaltyConfig, spent: number, visits: number): { id: string; name: string; percent: number } {
  let best = { id: BASE_TIER, name: BASE_TIER, percent: cfg.accrualPercent };
  for (const t of cfg.tiers) {
    const reached = t.by === 'spent' ? spent >= t.threshold : visits >= t.threshold;
    if (reached && t.percent > best.percent) best = { id: t.id, name: t.name, percent: t.percent };
  }
  return best;
}
