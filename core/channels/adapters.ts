import type { ChannelAdapter } from '../../plugin-sdk.js';
import type { AppConfig } from '../config.js';
import type { TelegramChannel } from './telegram/channel.js';
import { telegramAdapter } from './telegram/adapter.js';
import type { WebChat } from './webchat/routes.js';

/** What core's channel adapters may use. */
export interface CoreChannelDeps {
  config: AppConfig;
  telegram: TelegramChannel;
  webchat: WebChat;
  /** how long one send may take: less than the dispatcher's lease, so a slow send is never sent again meanwhile */
  sendTimeoutMs: number;
}

/** Core's channels, one adapter per identity kind: the one place a new core channel (email, SMS) is added. */
export function coreChannelAdapters(deps: CoreChannelDeps): ChannelAdapter[] {
  return [
    telegramAdapter(deps.telegram, { timeoutMs: deps.sendTimeoutMs }),
    deps.webchat.adapter(),
  ];
}
