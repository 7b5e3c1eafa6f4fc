import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';
import { gateway, prepaymentConfig, refunder } from './config.js';
import type { PaymentRow } from './payments.js';
import { everyLanguage } from './text.js';

export interface Mismatch {
  paymentId: string;
  provider: string;
  ours: { status: string; amount: number };
  theirs: { status: string; amount: number } | { error: string };
}

/**
 * Compares the business's payments of one day (its calendar) with what their gateway says now: a payment we count
 * as paid that the gateway does not, or for another amount, is a mismatch. The day's result is kept (a rerun
 * replaces it) and staff get a task when something does not match.
 */
export async function reconcileDay(ctx: PluginContext, tenantId: string, day: string): Promise<{ day: string; checked: number; mismatches: Mismatch[] }> {
  const { timezone } = await ctx.business(tenantId);
  const from = DateTime.fromISO(day, { zone: timezone });
  const rows = await ctx.db.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', tenantId)
    .where('created_at', '>=', from.toJSDate()).where('created_at', '<', from.plus({ days: 1 }).toJSDate()).where('status', 'in', ['succeeded', 'pending']).orderBy('created_at').execute() as PaymentRow[];
  const cfg = await prepaymentConfig(ctx, tenantId);
  const mismatches: Mismatch[] = [];
  let checked = 0;
  for (const p of rows) {
    const gw = p.provider === 'telegram' ? refunder(ctx, cfg, 'telegram') : gateway(ctx, cfg, p.provider);
    const id = p.provider === 'telegram' ? p.provider_charge_id : p.provider_payment_id;
    if (!gw || !id) continue;
    checked++;
    const ours = { status: p.status, amount: Number(p.amount) };
    try {
      const theirs = await gw.status(id);
      const paidThere = theirs.status === 'succeeded';
      if (paidThere !== (p.status === 'succeeded') || (paidThere && theirs.amount.amount !== ours.amount)) mismatches.push({ paymentId: p.id, provider: p.provider, ours, theirs: { status: theirs.status, amount: theirs.amount.amount } });
    } catch (e) {
      mismatches.push({ paymentId: p.id, provider: p.provider, ours, theirs: { error: e instanceof Error ? e.message.slice(0, 300) : String(e) } });
    }
  }
  await ctx.transaction(async (trx) => {
    await trx.insertInto('prepayment_reconciliations').values({ tenant_id: tenantId, day, checked, mismatches: JSON.stringify(mismatches), created_at: ctx.now() })
      .onConflict((oc) => oc.columns(['tenant_id', 'day']).doUpdateSet({ checked, mismatches: JSON.stringify(mismatches), created_at: ctx.now() })).execute();
    if (mismatches.length) {
      await ctx.tasks.create(trx, tenantId, { kind: 'reconciliation', key: `reconciliation:${day}`, title: everyLanguage(ctx, 'taskReconciliation', { day, count: mismatches.length }), roles: ['owner', 'admin'], data: { day } });
    }
  });
  return { day, checked, mismatches };
}

/** The daily job: yesterday, in each business's own calendar, for every business that took payments. */
export async function reconcileYesterday(ctx: PluginContext): Promise<void> {
  const tenants = await ctx.db.selectFrom('prepayment_payments').select('tenant_id').distinct()
    .where('created_at', '>=', new Date(ctx.now().getTime() - 3 * 86_400_000)).execute();
  for (const { tenant_id: tenantId } of tenants) {
    if (!(await ctx.isEnabled(tenantId))) continue;
    const { timezone } = await ctx.business(tenantId);
    const day = DateTime.fromJSDate(ctx.now(), { zone: timezone }).minus({ days: 1 }).toISODate()!;
    await reconcileDay(ctx, tenantId, day).catch((e) => ctx.log.error({ err: e, tenantId }, 'reconciliation failed'));
  }
}
