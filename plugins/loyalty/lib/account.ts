import type { Db, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { LoyaltyAccount, LoyaltyEntry } from '../contract.js';
import { loyaltyConfig, tierOf } from './config.js';
import { toMajor } from './money.js';

/** The end of the client's online-booking block, if one is in force now. */
export async function blockedUntil(ctx: PluginContext, q: Db | Tx, tenantId: string, contactId: string): Promise<Date | null> {
  const row = await q.selectFrom('loyalty_blocks').select((eb) => eb.fn.max('until').as('until')).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId)
    .where('lifted_at', 'is', null).where('until', '>', ctx.now()).executeTakeFirst();
  return row?.until ? new Date(row.until as string) : null;
}

export async function accountOf(ctx: PluginContext, tenantId: string, contactId: string, q: Db | Tx = ctx.db): Promise<LoyaltyAccount> {
  const [cfg, business, row, until] = await Promise.all([
    loyaltyConfig(ctx, tenantId, q), ctx.business(tenantId, q),
    q.selectFrom('loyalty_accounts').selectAll().where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).executeTakeFirst(),
    blockedUntil(ctx, q, tenantId, contactId),
  ]);
  const spent = toMajor(Number(row?.spent ?? 0), business.currency);
  const tier = tierOf(cfg, spent, row?.visits ?? 0);
  return {
    contactId, balance: row?.balance ?? 0, debt: row?.debt ?? 0, tier, vip: tier.percent >= cfg.vipPercent,
    blockedUntil: until?.toISOString() ?? null, deposit: { amount: Number(row?.deposit ?? 0), currency: business.currency },
  };
}

export async function entriesOf(ctx: PluginContext, q: Db | Tx, tenantId: string, contactId: string, limit = 200): Promise<LoyaltyEntry[]> {
  const { currency } = await ctx.business(tenantId, q);
  const rows = await q.selectFrom('loyalty_entries').selectAll().where('tenant_id', '=', tenantId).where('contact_id', '=', contactId)
    .orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => {
    const points = r.ledger === 'points';
    return {
      kind: r.kind, ledger: r.ledger, points: points ? Number(r.amount) : 0, amount: points ? null : toMajor(Number(r.amount), currency),
      balanceAfter: points ? Number(r.balance_after) : toMajor(Number(r.balance_after), currency), debtAfter: r.debt_after,
      source: { kind: r.source_kind, id: r.source_id }, certificateNumber: r.certificate_number, reason: r.reason,
      expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null, at: new Date(r.at).toISOString(),
    };
  });
}
