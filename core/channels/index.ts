import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter, Db, Secrets } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { EmailChannel } from './email/channel.js';
import type { Translate } from './email/render.js';
import { channelRoutes } from './routes.js';
import { ChannelSettings } from './settings.js';
import { SmsChannel } from './sms/channel.js';
import { UnsubscribeLinks } from './unsubscribe.js';
import { unsubscribeRoutes } from './unsubscribe-routes.js';

export interface CoreChannelsDeps {
  db: Db;
  secrets: Secrets;
  clock: Clock;
  t: Translate;
  /** signs unsubscribe links (derived from the secrets key) */
  linkKey: Buffer;
  publicUrl: string | undefined;
  smtpAllowPrivate: boolean;
  smsRuApiRoot: string;
}

export interface CoreChannels {
  /** the adapters core ships besides Telegram and web chat, for the outgoing message registry */
  adapters: ChannelAdapter[];
  email: EmailChannel;
  sms: SmsChannel;
  settings: ChannelSettings;
  links: UnsubscribeLinks;
  /** /api/v1 routes: settings, test sends, the SMS balance and the public unsubscribe page */
  routes(api: FastifyInstance): void;
}

/** Email (SMTP per business) and SMS (a provider account per business) with their settings. */
export function createCoreChannels(deps: CoreChannelsDeps): CoreChannels {
  const settings = new ChannelSettings(deps.db, deps.secrets);
  const links = new UnsubscribeLinks(deps.linkKey, deps.publicUrl);
  const email = new EmailChannel({ settings, links, t: deps.t, smtp: { allowPrivate: deps.smtpAllowPrivate } });
  const sms = new SmsChannel({ settings, roots: { smsru: deps.smsRuApiRoot } });
  return {
    adapters: [email, sms], email, sms, settings, links,
    routes(api) {
      channelRoutes(api, { db: deps.db, settings, email, sms, t: deps.t });
      unsubscribeRoutes(api, { db: deps.db, links, t: deps.t, clock: deps.clock });
    },
  };
}
