import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';

const DAY = 86_400_000;

/** A booking made within `attributionDays` of tapping a campaign's link counts for the campaign tapped last. */
export async function attributeBooking(ctx: PluginContext, trx: Tx, tenantId: string, b: { bookingId: string; clientId: string; status: string }): Promise<void> {
  const { attributionDays } = await ctx.config<{ attributionDays: number }>(tenantId, trx);
  const since = new Date(ctx.now().getTime() - attributionDays * DAY);
  await sql`UPDATE broadcasts_recipients r SET booking_id = ${b.bookingId}
    WHERE (r.tenant_id, r.campaign_id, r.contact_id) = (
      SELECT tenant_id, campaign_id, contact_id FROM broadcasts_recipients
      WHERE tenant_id = ${tenantId} AND contact_id = ${b.clientId} AND clicked_at >= ${since} AND booking_id IS NULL
      ORDER BY clicked_at DESC LIMIT 1)`.execute(trx);
}
