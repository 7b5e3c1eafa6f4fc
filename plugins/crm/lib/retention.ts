import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';
import { crmConfig } from './config.js';

export interface RetentionRun { before: string | null; messages: number; records: number; failed: string[] }

/**
 * Seed 004's retention: message texts (core's) and what plugins keep of the same kind (telephony's recordings,
 * through `crm.retention`) older than `retentionMonths` in the business's calendar are forgotten. Bookings and the
 * ledger stay: reports and money need them. 0 months keeps everything. Audited with the counts only.
 */
export async function applyRetention(ctx: PluginContext, tenantId: string, actorId: string | null = null): Promise<RetentionRun> {
  const [{ retentionMonths }, { timezone }] = await Promise.all([crmConfig(ctx, tenantId), ctx.business(tenantId)]);
  if (!retentionMonths) return { before: null, messages: 0, records: 0, failed: [] };
  const before = DateTime.fromJSDate(ctx.now(), { zone: timezone }).minus({ months: retentionMonths }).toJSDate();
  const messages = await ctx.transaction((trx) => ctx.messages.forgetBefore(trx, tenantId, before));
  const { results, failed } = await ctx.extensions.collect(tenantId, 'crm.retention', { before: before.toISOString() });
  const records = results.reduce((n, r) => n + (Number.isFinite(r.value) ? r.value : 0), 0);
  const run = { before: before.toISOString(), messages, records, failed: failed.map((f) => f.plugin) };
  await ctx.transaction((trx) => ctx.audit(trx, { tenantId, actorId, entity: 'retention', entityId: tenantId, action: 'apply', after: run }));
  if (failed.length) ctx.log.warn({ tenantId, failed }, 'crm retention: a plugin did not clear its records');
  return run;
}
