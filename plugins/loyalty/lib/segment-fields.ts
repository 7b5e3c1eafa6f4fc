import { sql, type RawBuilder } from 'kysely';
import type { SegmentFieldDefinition, SegmentSqlScope } from '../../../plugin-sdk.js';
import { BASE_TIER, type LoyaltyConfig, type Tier } from './config.js';
import { minorPerPoint } from './money.js';

/** The tiers above the base percent, best first (of equal ones the first listed, as `tierOf` picks). */
const ranked = (cfg: LoyaltyConfig): Tier[] => cfg.tiers.filter((t) => t.percent > cfg.accrualPercent).map((t, i) => ({ t, i }))
  .sort((x, y) => y.t.percent - x.t.percent || x.i - y.i).map((x) => x.t);

/**
 * The client's tier by `tierOf`'s rule, in SQL over the account's spent (minor units) and visits (none: zero):
 * the best tier reached answers `pick(tier)`, none `base`.
 */
function tierSql({ tenantId, contactId, currency, config }: SegmentSqlScope, pick: (t: Tier) => RawBuilder<unknown>, base: RawBuilder<unknown>) {
  const cfg = config as unknown as LoyaltyConfig;
  const tiers = ranked(cfg);
  if (!tiers.length) return base;
  const reached = (t: Tier) => (t.by === 'spent' ? sql`a.spent >= ${t.threshold * minorPerPoint(currency)}` : sql`a.visits >= ${t.threshold}`);
  return sql`(SELECT CASE ${sql.join(tiers.map((t) => sql`WHEN ${reached(t)} THEN ${pick(t)}`), sql` `)} ELSE ${base} END
    FROM (SELECT coalesce(max(x.spent), 0) AS spent, coalesce(max(x.visits), 0) AS visits FROM loyalty_accounts x WHERE x.tenant_id = ${tenantId} AND x.contact_id = ${contactId}) a)`;
}

const tierPercent = (scope: SegmentSqlScope) => tierSql(scope, (t) => sql`${t.percent}::numeric`, sql`${(scope.config as unknown as LoyaltyConfig).accrualPercent}::numeric`);

export const segmentFields: SegmentFieldDefinition[] = [
  { key: 'loyalty.balance', type: 'number', label: { en: 'Points balance', ru: 'Баланс баллов', uk: 'Баланс балів' },
    sql: ({ tenantId, contactId }) => sql`coalesce((SELECT a.balance FROM loyalty_accounts a WHERE a.tenant_id = ${tenantId} AND a.contact_id = ${contactId}), 0)` },
  { key: 'loyalty.debt', type: 'number', label: { en: 'Points debt', ru: 'Долг баллов', uk: 'Борг балів' },
    sql: ({ tenantId, contactId }) => sql`coalesce((SELECT a.debt FROM loyalty_accounts a WHERE a.tenant_id = ${tenantId} AND a.contact_id = ${contactId}), 0)` },
  { key: 'loyalty.blocked', type: 'boolean', label: { en: 'Online booking blocked', ru: 'Онлайн-запись заблокирована', uk: 'Онлайн-запис заблоковано' },
    sql: ({ tenantId, contactId, now }) => sql`EXISTS (SELECT 1 FROM loyalty_blocks b WHERE b.tenant_id = ${tenantId} AND b.contact_id = ${contactId} AND b.lifted_at IS NULL AND b.until > ${now})` },
  { key: 'loyalty.expiringSoon', type: 'number', label: { en: 'Points expiring within 30 days', ru: 'Баллы, сгорающие в ближайшие 30 дней', uk: 'Бали, що згоряють у найближчі 30 днів' },
    sql: ({ tenantId, contactId, now }) => sql`coalesce((SELECT sum(e.amount) FROM loyalty_entries e WHERE e.tenant_id = ${tenantId} AND e.contact_id = ${contactId} AND e.kind = 'accrual'
      AND e.expires_at > ${now} AND e.expires_at <= ${now}::timestamptz + interval '30 days'), 0)` },
  { key: 'loyalty.tier', type: 'enum', label: { en: 'Loyalty tier', ru: 'Уровень лояльности', uk: 'Рівень лояльності' },
  loadOptions: async (q, tenantId, ctx) => {
    const cfg = await ctx.config<LoyaltyConfig>(tenantId, q);
    return [{ value: BASE_TIER, label: { en: 'Base', ru: 'Базовый', uk: 'Базовий' } }, ...cfg.tiers.map((t) => ({ value: t.id, label: t.name }))];
  },
  sql: (scope) => tierSql(scope, (t) => sql`${t.id}::text`, sql`${BASE_TIER}::text`) },
  { key: 'loyalty.tierPercent', type: 'number', label: { en: 'Accrual percent of the tier', ru: 'Процент начисления по уровню', uk: 'Відсоток нарахування за рівнем' }, sql: tierPercent },
  { key: 'loyalty.vip', type: 'boolean', label: { en: 'VIP', ru: 'VIP', uk: 'VIP' },
  sql: (scope) => sql`(${tierPercent(scope)}) >= ${(scope.config as unknown as LoyaltyConfig).vipPercent}::numeric` },
];
