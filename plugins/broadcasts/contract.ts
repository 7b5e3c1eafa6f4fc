/**
 * What broadcasts offers other plugins (types only: `import type` it; list `broadcasts` in
 * optionalDependencies): one sending path for a message to segments — consent, quiet hours, unsubscribe,
 * the bot's limits and crash safety included — as the HTTP API's campaigns are sent.
 */
import type { MessageButton, Text, Tx } from '../../plugin-sdk.js';

export interface CampaignInput {
  name: string;
  segmentIds: string[];
  message: { text: Text; photoUrl?: string; buttons?: MessageButton[] };
  /** default now */
  sendAt?: Date;
  /** marketing (needs consent, keeps quiet hours, carries unsubscribe) or informational */
  purpose?: 'marketing' | 'transactional';
  /** who asked: a hot window, a review post, a member */
  origin: { plugin: string; id: string };
}

export interface BroadcastsService {
  /** Creates and starts a campaign in the caller's transaction; idempotent per origin. */
  send(trx: Tx, tenantId: string, campaign: CampaignInput): Promise<{ id: string }>;
}

declare module '../../plugin-sdk.js' {
  interface PluginServices {
    'broadcasts': BroadcastsService;
  }
}
