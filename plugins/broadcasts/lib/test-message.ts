import { randomUUID } from 'node:crypto';
import type { PluginContext } from '../../../plugin-sdk.js';
import { content, type CampaignRow } from './campaigns.js';

/**
 * "Send a test to me": the campaign's message as its clients get it (text, photo, buttons) to the asking member's own
 * linked Telegram chat, which notifications keeps. Transactional, so neither consent nor quiet hours hold it back
 * (and it has no unsubscribe button). Each press is a new test, hence a fresh key.
 */
export async function sendTest(ctx: PluginContext, campaign: CampaignRow, userId: string): Promise<{ queued: number }> {
  return ctx.transaction(async (trx) => {
    const notifications = await ctx.optionalService('notifications', campaign.tenant_id, trx);
    const sent = notifications ? await notifications.messageMember(trx, campaign.tenant_id, userId, content(campaign), `broadcast-test:${campaign.id}:${randomUUID()}`) : { queued: 0 };
    if (!sent.queued) throw ctx.error('BF_ERR_BROADCAST_TEST_UNAVAILABLE');
    return sent;
  });
}
