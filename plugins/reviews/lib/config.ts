import type { Db, LocalizedText, PluginContext, Tx } from '../../../plugin-sdk.js';

/** The business's reviews settings (plugin.json configSchema, defaults applied). */
export interface ReviewsConfig {
  requestDelayMinutes: number;
  reminderAfterHours: number;
  alertBelow: number;
  offerTip: boolean;
  autoPublishFrom: number;
  channelSegmentId: string;
  /** the business's Telegram channel: @username or its -100… id; '' none */
  channelChatId: string;
}

export const reviewsConfig = (ctx: PluginContext, tenantId: string, q?: Db | Tx) => ctx.config<ReviewsConfig>(tenantId, q);

/** One of this plugin's texts in every language: written once, read in the client's (or a member's). */
export const everyLanguage = (ctx: PluginContext, key: string, vars?: Record<string, unknown>): LocalizedText =>
  ({ en: ctx.t('en', key, vars), ru: ctx.t('ru', key, vars), uk: ctx.t('uk', key, vars) });

/** What a published review shows of its author: the first name and the initial of the last, nothing more. */
export function authorOf(name: string): string {
  const [first = '', last = ''] = name.trim().split(/\s+/);
  return last ? `${first} ${[...last][0].toUpperCase()}.` : first;
}
