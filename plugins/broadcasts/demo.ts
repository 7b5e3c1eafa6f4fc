import type { PluginContext, Tx } from '../../plugin-sdk.js';

const DAY = 86_400_000;

/**
 * One finished sample campaign of the demo salon, as history (no message is sent when the demo is seeded): its
 * recipients are the demo clients, most delivered, some who tapped the link.
 */
export async function seedDemo(ctx: PluginContext, trx: Tx, tenantId: string): Promise<void> {
  const sentAt = new Date(ctx.now().getTime() - 3 * DAY);
  const { ids } = await ctx.segments.contactIds(trx, tenantId, 'all', { limit: 100 });
  const campaign = await trx.insertInto('broadcasts_campaigns').values({
    tenant_id: tenantId, name: 'Весенний уход: −15% на процедуры для лица', segment_ids: ['all'], purpose: 'marketing', status: 'finished',
    message: JSON.stringify({ text: { en: 'Spring care: 15% off facial treatments until the end of the month.', ru: 'Весенний уход: −15% на процедуры для лица до конца месяца.', uk: 'Весняний догляд: −15% на процедури для обличчя до кінця місяця.' } }),
    created_at: new Date(sentAt.getTime() - 3600_000), send_at: sentAt, started_at: sentAt, finished_at: new Date(sentAt.getTime() + 60_000), excluded: JSON.stringify({ optedOut: 0, unreachable: 0 }),
  }).returning('id').executeTakeFirstOrThrow();
  if (!ids.length) return;
  await trx.insertInto('broadcasts_recipients').values(ids.map((contactId, seq) => ({
    tenant_id: tenantId, campaign_id: campaign.id, seq, contact_id: contactId,
    state: seq % 5 === 4 ? 'blocked' : 'sent', sent_at: seq % 5 === 4 ? null : sentAt,
    clicked_at: seq % 3 === 0 ? new Date(sentAt.getTime() + 600_000) : null,
  }))).execute();
}
