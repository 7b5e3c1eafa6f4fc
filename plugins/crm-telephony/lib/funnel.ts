import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';

/** Incoming calls that started on the business's calendar days [from, to]. */
export async function callsInPeriod(ctx: PluginContext, tenantId: string, from: string, to: string): Promise<number> {
  const { timezone } = await ctx.business(tenantId);
  const start = DateTime.fromISO(from, { zone: timezone }).startOf('day').toJSDate();
  const end = DateTime.fromISO(to, { zone: timezone }).startOf('day').plus({ days: 1 }).toJSDate();
  const { n } = await ctx.db.selectFrom('crm_telephony_calls').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).where('direction', '=', 'in')
    .where('started_at', '>=', start).where('started_at', '<', end).executeTakeFirstOrThrow();
  return Number(n);
}
