import type { Db, PluginContext, Tx } from '../../../plugin-sdk.js';
import { categoryOf, crmConfig } from './config.js';

export type ClientStatus = 'first' | 'repeat' | 'vip';

/** VIP by the loyalty tier's bonus percent; else repeat from the second completed visit (seed 003). */
export function statusOf(visits: number, bonusPercent: number | null, vipPercent: number): ClientStatus {
  if (bonusPercent !== null && bonusPercent >= vipPercent) return 'vip';
  return visits >= 2 ? 'repeat' : 'first';
}

/** The client's current loyalty bonus percent, null when loyalty is not enabled for the business. */
export async function bonusPercent(ctx: PluginContext, tenantId: string, contactId: string, q?: Db | Tx): Promise<number | null> {
  const loyalty = await ctx.optionalService('loyalty', tenantId, q);
  if (!loyalty) return null;
  return (await loyalty.account(tenantId, contactId, q)).tier.percent;
}

const EVER = { from: new Date(Date.UTC(2000, 0, 1)), to: new Date(Date.UTC(2200, 0, 1)) };

/** Every booking of the client, any status (booking's whole history of them). */
export const allBookings = (ctx: PluginContext, tenantId: string, contactId: string) => ctx.service('booking').clientBookings(tenantId, contactId, EVER);

/**
 * Recounts the client's completed visits and their interests by behaviour from booking's history, and stores the
 * status they and the loyalty tier give: emits `crm.status-changed` when it moved from the stored one. Runs on
 * every completed visit and on every change of the client's points (a tier moves with them).
 */
export async function refreshStatus(ctx: PluginContext, trx: Tx, tenantId: string, contactId: string): Promise<ClientStatus> {
  const booking = ctx.service('booking');
  const [bookings, services, cfg] = await Promise.all([allBookings(ctx, tenantId, contactId), booking.services(tenantId), crmConfig(ctx, tenantId)]);
  const completed = bookings.filter((b) => b.status === 'completed');
  const department = new Map(services.map((s) => [s.id, s.departmentName]));
  const behaviour: Record<string, number> = {};
  for (const b of completed) {
    const key = categoryOf(cfg.interestCategories, department.get(b.serviceId) ?? '') ?? 'other';
    behaviour[key] = (behaviour[key] ?? 0) + 1;
  }
  const lastVisit = completed.length ? completed[completed.length - 1].start : null;
  const before = await trx.selectFrom('crm_cards').select(['prior_visits', 'last_visit_at', 'status']).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).forUpdate().executeTakeFirst();
  const percent = await bonusPercent(ctx, tenantId, contactId, trx);
  const from = (before?.status ?? 'first') as ClientStatus;
  const to = statusOf(completed.length + (before?.prior_visits ?? 0), percent, cfg.vipPercent);
  const row = { visits: completed.length, behaviour: JSON.stringify(behaviour), last_visit_at: lastVisit ?? before?.last_visit_at ?? null, status: to, updated_at: ctx.now() };
  await trx.insertInto('crm_cards').values({ tenant_id: tenantId, contact_id: contactId, ...row })
    .onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doUpdateSet(row)).execute();
  if (to !== from) await ctx.events.emit(trx, tenantId, 'crm.status-changed', { contactId, from, to });
  return to;
}
