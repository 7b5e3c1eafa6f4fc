import type { PluginContext } from '../../../plugin-sdk.js';
import type { ExportSection } from '../../crm/contract.js';

/** The client's calls for their data export: every leg we logged, with the recording link while it is kept. */
export async function callsOf(ctx: PluginContext, tenantId: string, contactId: string): Promise<ExportSection> {
  const items = await ctx.db.selectFrom('crm_telephony_calls')
    .select(['direction', 'number', 'state', 'started_at as startedAt', 'answered_at as answeredAt', 'answered_by as answeredBy', 'ended_at as endedAt', 'duration_sec as durationSec', 'result', 'recording_url as recordingUrl'])
    .where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).orderBy('started_at').execute();
  return { section: 'calls', items };
}

/** The retention policy: recordings of calls that started before the cut-off are no longer linked (the call stays, for the funnel). */
export async function forgetRecordings(ctx: PluginContext, tenantId: string, before: string): Promise<number> {
  const done = await ctx.db.updateTable('crm_telephony_calls').set({ recording_url: null }).where('tenant_id', '=', tenantId)
    .where('started_at', '<', new Date(before)).where('recording_url', 'is not', null).executeTakeFirst();
  return Number(done.numUpdatedRows);
}
