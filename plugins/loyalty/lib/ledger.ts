import type { PluginContext, Tx } from '../../../plugin-sdk.js';

export type Ledger = 'points' | 'deposit' | 'certificate';

export interface Posting {
  contactId: string;
  ledger: Ledger;
  kind: string;
  /** points for the points ledger, minor units for money; signed */
  amount: number;
  /** with sourceId and kind: one entry per source, ever (a retried event finds it posted) */
  sourceKind: string;
  sourceId: string;
  reason?: string;
  actorId?: string | null;
  certificateNumber?: string;
  /** the certificate's balance after a write-off (its own row keeps it) */
  certificateBalance?: number;
  expiresAt?: Date | null;
}

export interface AccountRow { balance: number; debt: number; deposit: number; spent: number; visits: number }

/** The client's account, created when missing, locked until the transaction ends: its writers queue up. */
export async function lockAccount(trx: Tx, tenantId: string, contactId: string): Promise<AccountRow> {
  await trx.insertInto('loyalty_accounts').values({ tenant_id: tenantId, contact_id: contactId })
    .onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doNothing()).execute();
  const r = await trx.selectFrom('loyalty_accounts').selectAll().where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).forUpdate().executeTakeFirstOrThrow();
  return { balance: r.balance, debt: r.debt, deposit: Number(r.deposit), spent: Number(r.spent), visits: r.visits };
}

/**
 * Appends one entry and moves the account with it. Points: a minus beyond the balance becomes debt, and a
 * plus pays the debt off first. The deposit never goes below zero (callers check first, the column refuses).
 * Answers the entry already posted for the same source without posting again.
 */
export async function post(ctx: PluginContext, trx: Tx, tenantId: string, p: Posting): Promise<{ posted: boolean; balanceAfter: number }> {
  const acc = await lockAccount(trx, tenantId, p.contactId);
  const existing = await trx.selectFrom('loyalty_entries').select('balance_after').where('tenant_id', '=', tenantId)
    .where('source_kind', '=', p.sourceKind).where('source_id', '=', p.sourceId).where('kind', '=', p.kind).executeTakeFirst();
  if (existing) return { posted: false, balanceAfter: Number(existing.balance_after) };
  let balanceAfter = 0;
  let debtAfter = acc.debt;
  let set: Record<string, number> = {};
  if (p.ledger === 'points') {
    const net = acc.balance - acc.debt + p.amount;
    balanceAfter = Math.max(net, 0);
    debtAfter = Math.max(-net, 0);
    set = { balance: balanceAfter, debt: debtAfter };
  } else if (p.ledger === 'deposit') {
    balanceAfter = acc.deposit + p.amount;
    set = { deposit: balanceAfter };
  } else balanceAfter = p.certificateBalance ?? 0;
  await trx.insertInto('loyalty_entries').values({
    tenant_id: tenantId, contact_id: p.contactId, ledger: p.ledger, kind: p.kind, amount: p.amount, balance_after: balanceAfter, debt_after: debtAfter,
    source_kind: p.sourceKind, source_id: p.sourceId, reason: p.reason ?? '', actor_id: p.actorId ?? null, certificate_number: p.certificateNumber ?? null,
    expires_at: p.expiresAt ?? null, at: ctx.now(),
  }).execute();
  if (Object.keys(set).length) await trx.updateTable('loyalty_accounts').set(set).where('tenant_id', '=', tenantId).where('contact_id', '=', p.contactId).execute();
  if (p.ledger === 'points') await ctx.events.emit(trx, tenantId, 'loyalty.points-changed', { contactId: p.contactId, kind: p.kind, points: p.amount, balance: balanceAfter });
  return { posted: true, balanceAfter };
}
