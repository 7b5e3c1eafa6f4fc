import type { ChannelSendResult } from '../../../plugin-sdk.js';

/** What one SMS gateway account can do: send a text to a number (E.164); its balance when it tells. */
export interface SmsProvider {
  readonly id: string;
  send(to: string, text: string): Promise<ChannelSendResult>;
  balance?(): Promise<{ balance: string }>;
}
