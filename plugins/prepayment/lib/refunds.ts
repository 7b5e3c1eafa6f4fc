import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import type { ProviderRefund } from '../contract.js';
import { prepaymentConfig, refunder, type Policy, type PrepaymentConfig } from './config.js';
import { record } from './ledger.js';
import type { PaymentRow } from './payments.js';
import { everyLanguage } from './text.js';

const HOUR = 3_600_000;
/** Provider failures before a refund is given up and handed to staff (each retried by the job runner with a growing delay). */
export const REFUND_ATTEMPTS = 3;

export interface RefundRow {
  tenant_id: string;
  id: string;
  payment_id: string;
  booking_id: string;
  key: string;
  amount: string | number;
  currency: string;
  percent: number;
  reason: string;
  actor_id: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  provider_refund_id: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  done_at: Date | null;
}

/** The business's policy, a service's own where it has one. */
export function policyOf(cfg: PrepaymentConfig, serviceId: string): Policy {
  const own = cfg.cancellationByService.find((p) => p.serviceId === serviceId);
  return { fullRefundHours: own?.fullRefundHours ?? cfg.cancellation.fullRefundHours ?? 24, laterPercent: own?.laterPercent ?? cfg.cancellation.laterPercent ?? 50 };
}

/** The percent a client's cancellation at `at` gets back: all ≥ X hours before, Y % later, nothing once it started. */
export function policyPercent(policy: Policy, start: Date, at: Date): number {
  const ahead = start.getTime() - at.getTime();
  if (ahead <= 0) return 0;
  return ahead >= policy.fullRefundHours * HOUR ? 100 : policy.laterPercent;
}

/**
 * Asks for a refund of a booking's prepayment up to `percent` of it in all (what earlier refunds returned or are
 * returning counts), in `trx`, once per `key`: a retried cancellation writes nothing more. A job sends it.
 */
export async function requestRefund(ctx: PluginContext, trx: Tx, tenantId: string, r: { bookingId: string; key: string; percent: number; reason: string; actorId: string | null }): Promise<RefundRow | undefined> {
  const p = await trx.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', tenantId).where('booking_id', '=', r.bookingId).where('purpose', '=', 'prepayment')
    .where('status', '=', 'succeeded').forUpdate().executeTakeFirst() as PaymentRow | undefined;
  if (!p) return undefined;
  const { sum } = await trx.selectFrom('prepayment_refunds').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.val(0)).as('sum'))
    .where('tenant_id', '=', tenantId).where('payment_id', '=', p.id).where('status', '<>', 'failed').executeTakeFirstOrThrow();
  const amount = Math.min(Math.round((Number(p.amount) * r.percent) / 100), Number(p.amount)) - Number(sum);
  if (amount <= 0) return undefined;
  const row = await trx.insertInto('prepayment_refunds').values({
    tenant_id: tenantId, payment_id: p.id, booking_id: r.bookingId, key: r.key, amount, currency: p.currency, percent: r.percent, reason: r.reason, actor_id: r.actorId, created_at: ctx.now(),
  }).onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing()).returningAll().executeTakeFirst() as RefundRow | undefined;
  if (row) await ctx.jobs.now('refund', { refundId: row.id }, { tenantId, key: `refund:${row.id}`, trx });
  return row;
}

/** The refund went through: once, whatever notifications or retries repeat it. */
export async function settleRefund(ctx: PluginContext, trx: Tx, tenantId: string, refundId: string, providerRefundId: string): Promise<boolean> {
  const r = await trx.updateTable('prepayment_refunds').set({ status: 'succeeded', provider_refund_id: providerRefundId, done_at: ctx.now(), last_error: null })
    .where('tenant_id', '=', tenantId).where('id', '=', refundId).where('status', '<>', 'succeeded').returningAll().executeTakeFirst() as RefundRow | undefined;
  if (!r) return false;
  const p = await trx.updateTable('prepayment_payments').set((eb) => ({ refunded: eb('refunded', '+', Number(r.amount)) }))
    .where('tenant_id', '=', tenantId).where('id', '=', r.payment_id).returningAll().executeTakeFirstOrThrow() as PaymentRow;
  await record(trx, {
    tenantId, kind: 'refund', amount: Number(r.amount), currency: r.currency, method: p.provider, bookingId: r.booking_id, contactId: p.contact_id,
    serviceId: p.service_id, specialistId: p.specialist_id, paymentId: p.id, refundId: r.id, sourceKey: `refund:${r.id}`, at: ctx.now(),
  });
  await ctx.events.emit(trx, tenantId, 'prepayment.refund-succeeded', { refundId: r.id, paymentId: p.id, bookingId: r.booking_id, amount: { amount: Number(r.amount), currency: r.currency } });
  await ctx.messages.send(trx, { tenantId, to: { contactId: p.contact_id }, purpose: 'transactional', idempotencyKey: `prepayment-refunded:${r.id}`, message: { text: everyLanguage(ctx, 'refunded', { percent: r.percent }) } });
  return true;
}

async function giveUp(ctx: PluginContext, trx: Tx, tenantId: string, r: RefundRow, reason: string) {
  await trx.updateTable('prepayment_refunds').set({ status: 'failed', last_error: reason.slice(0, 1000) }).where('tenant_id', '=', tenantId).where('id', '=', r.id).execute();
  await ctx.tasks.create(trx, tenantId, {
    kind: 'refund-failed', key: `refund-failed:${r.id}`, title: everyLanguage(ctx, 'taskRefundFailed'), body: { en: reason, ru: reason, uk: reason }, bookingId: r.booking_id, roles: ['owner', 'admin'], data: { refundId: r.id },
  });
  await ctx.events.emit(trx, tenantId, 'prepayment.refund-failed', { refundId: r.id, bookingId: r.booking_id, reason: reason.slice(0, 1000) });
}

/**
 * Sends a pending refund to the provider under our refund's id as its idempotency key (a retry after a lost answer
 * gets the same refund back). A failure is counted and thrown, for the job runner to retry; after REFUND_ATTEMPTS
 * it is failed, and staff get a task (the studio retries it). A refund the provider still processes is asked again later.
 */
export async function sendRefund(ctx: PluginContext, tenantId: string, refundId: string): Promise<void> {
  const r = await ctx.db.selectFrom('prepayment_refunds').selectAll().where('tenant_id', '=', tenantId).where('id', '=', refundId).executeTakeFirst() as RefundRow | undefined;
  if (r?.status !== 'pending') return;
  const p = (await ctx.db.selectFrom('prepayment_payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', r.payment_id).executeTakeFirstOrThrow()) as PaymentRow;
  const gw = refunder(ctx, await prepaymentConfig(ctx, tenantId), p.provider);
  const providerPaymentId = p.provider === 'telegram' ? p.provider_charge_id : p.provider_payment_id;
  if (!gw || !providerPaymentId) {
    await ctx.transaction((trx) => giveUp(ctx, trx, tenantId, r, `no gateway refunds ${p.provider} payments: set the refund provider in the settings`));
    return;
  }
  let res: ProviderRefund;
  try {
    res = r.provider_refund_id ? await gw.refundStatus(r.provider_refund_id) : await gw.refund({ providerPaymentId, amount: { amount: Number(r.amount), currency: r.currency }, key: r.id });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const attempts = r.attempts + 1;
    await ctx.transaction(async (trx) => {
      await trx.updateTable('prepayment_refunds').set({ attempts, last_error: reason.slice(0, 1000) }).where('tenant_id', '=', tenantId).where('id', '=', r.id).execute();
      if (attempts >= REFUND_ATTEMPTS) await giveUp(ctx, trx, tenantId, r, reason);
    });
    if (attempts >= REFUND_ATTEMPTS) return;
    throw e;
  }
  await ctx.transaction(async (trx) => {
    if (res.status === 'succeeded') await settleRefund(ctx, trx, tenantId, r.id, res.providerRefundId);
    else if (res.status === 'canceled') await giveUp(ctx, trx, tenantId, r, `${gw.id} canceled the refund`);
    else {
      await trx.updateTable('prepayment_refunds').set({ provider_refund_id: res.providerRefundId }).where('tenant_id', '=', tenantId).where('id', '=', r.id).execute();
      // Its notification usually settles it first; otherwise it is asked again.
      await ctx.jobs.schedule(new Date(ctx.now().getTime() + 10 * 60_000), 'refund', { refundId: r.id }, { tenantId, key: `refund:${r.id}`, trx });
    }
  });
}

/** A failed refund back in the queue (from the studio): attempts start over. */
export async function retryRefund(ctx: PluginContext, trx: Tx, tenantId: string, refundId: string, actorId: string): Promise<RefundRow> {
  const r = await trx.updateTable('prepayment_refunds').set({ status: 'pending', attempts: 0 }).where('tenant_id', '=', tenantId).where('id', '=', refundId).where('status', '=', 'failed').returningAll().executeTakeFirst() as RefundRow | undefined;
  if (!r) {
    const any = await trx.selectFrom('prepayment_refunds').selectAll().where('tenant_id', '=', tenantId).where('id', '=', refundId).executeTakeFirst() as RefundRow | undefined;
    if (!any) throw ctx.error('BF_ERR_PREPAYMENT_REFUND_NOT_FOUND', { id: refundId });
    return any;
  }
  await ctx.tasks.close(trx, tenantId, `refund-failed:${r.id}`, { status: 'done', result: 'retried', actorId });
  await ctx.audit(trx, { tenantId, actorId, entity: 'prepayment_refund', entityId: r.id, action: 'retry' });
  await ctx.jobs.now('refund', { refundId: r.id }, { tenantId, key: `refund:${r.id}`, trx });
  return r;
}

