import type { ChannelAdapter } from '../../plugin-sdk.js';
import type { TelegramChannel } from './telegram/channel.js';
import { telegramAdapter } from './telegram/adapter.js';
import type { WebChat } from './webchat/routes.js';

/** What core's channel adapters are made of. */
export interface CoreChannelDeps {
  telegram: TelegramChannel;
  webchat: WebChat;
  /** email and SMS (core/channels/index.ts, createCoreChannels) */
  others: ChannelAdapter[];
  /** how long one send may take: less than the dispatcher's lease, so a slow send is never sent again meanwhile */
  sendTimeoutMs: number;
}

/** Core's channels, one adapter per identity kind, for the message dispatcher. */
export function coreChannelAdapters(deps: CoreChannelDeps): ChannelAdapter[] {
  return [telegramAdapter(deps.telegram, { timeoutMs: deps.sendTimeoutMs }), deps.webchat.adapter(), ...deps.others];
}
