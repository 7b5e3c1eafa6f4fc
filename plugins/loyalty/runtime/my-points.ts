import type { NodeRunInput, NodeRuntime, PluginContext } from '../../../plugin-sdk.js';
import { accountOf, entriesOf } from '../lib/account.js';
import { loyaltyConfig } from '../lib/config.js';
import { formatDay } from '../lib/dates.js';
import { nextRedeemAt } from '../lib/tenders.js';

const SOON = 30 * 86_400_000;

export async function conversationContact(ctx: PluginContext, input: NodeRunInput): Promise<string | null> {
  if (input.client.contactId) return input.client.contactId;
  return input.conversation ? (await ctx.contacts.resolve(input.db, input.tenantId, input.conversation))?.id ?? null : null;
}

/** Balance, debt, block, the last entries, points expiring within 30 days and the next redemption date. */
export const myPoints: NodeRuntime = async (input, ctx) => {
  const { tenantId, locale } = input;
  const contactId = await conversationContact(ctx, input);
  if (!contactId) return { messages: [{ text: ctx.t(locale, 'noPointsYet') }], next: 'next' };
  const [account, cfg, entries, { timezone }] = await Promise.all([
    accountOf(ctx, tenantId, contactId, input.db), loyaltyConfig(ctx, tenantId, input.db), entriesOf(ctx, input.db, tenantId, contactId, 50), ctx.business(tenantId, input.db),
  ]);
  const day = (iso: string | Date) => formatDay(new Date(iso), timezone, locale);
  const lines = [ctx.t(locale, 'pointsBalance', { balance: account.balance, tier: account.tier.percent })];
  if (account.vip) lines.push(ctx.t(locale, 'vipLine'));
  if (account.debt) lines.push(ctx.t(locale, 'debtLine', { debt: account.debt }));
  if (account.blockedUntil) lines.push(ctx.t(locale, 'blockedLine', { until: day(account.blockedUntil) }));
  const now = ctx.now().getTime();
  const expiring = entries.filter((e) => e.kind === 'accrual' && e.expiresAt && new Date(e.expiresAt).getTime() - now < SOON && new Date(e.expiresAt).getTime() > now);
  for (const e of expiring) lines.push(ctx.t(locale, 'expiringLine', { points: e.points, date: day(e.expiresAt!) }));
  const next = await nextRedeemAt(ctx, input.db, tenantId, contactId, cfg.redeemIntervalDays);
  lines.push(next ? ctx.t(locale, 'redeemFrom', { date: day(next) }) : ctx.t(locale, 'redeemNow', { percent: cfg.maxRedeemPercent }));
  const recent = entries.filter((e) => e.ledger === 'points').slice(0, 5);
  if (recent.length) lines.push('', ctx.t(locale, 'historyTitle'), ...recent.map((e) => `${day(e.at)}: ${e.points > 0 ? '+' : ''}${e.points} · ${ctx.t(locale, `kind.${e.kind}`)}`));
  return { messages: [{ text: lines.join('\n') }], next: 'next' };
};
