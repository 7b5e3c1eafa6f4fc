import type { ChannelAdapter, ChannelDelivery, ChannelSendResult } from '../../../plugin-sdk.js';
import type { ChannelSettings, SmsSettings } from '../settings.js';
import type { SmsProvider } from './provider.js';
import { fitSegments } from './segments.js';
import { SMS_PROVIDERS } from './smsru.js';

export interface SmsChannelDeps {
  settings: ChannelSettings;
  /** base URLs of the providers' APIs (SMSRU_API_ROOT) */
  roots: { smsru: string };
}

/**
 * SMS text of a message: its text, then each URL button as "label: url" (an SMS has no buttons;
 * callback buttons and photos are left out). Cut to the business's part limit, the links kept whole.
 */
export function smsText(d: Pick<ChannelDelivery, 'text' | 'buttons'>, maxSegments: number) {
  const links = (d.buttons ?? []).flat().flatMap((b) => (b.url ?? b.webApp ? [`${b.label}: ${b.url ?? b.webApp}`] : []));
  return fitSegments(d.text.trim(), links.length ? `\n${links.join('\n')}` : '', maxSegments);
}

/** SMS through the business's provider account; reaches `phone` identities (E.164). */
export class SmsChannel implements ChannelAdapter {
  readonly kind = 'phone' as const;

  constructor(private readonly deps: SmsChannelDeps) {}

  provider(settings: SmsSettings): SmsProvider {
    return SMS_PROVIDERS[settings.provider](settings, this.deps.roots);
  }

  async available(tenantId: string): Promise<boolean> {
    return (await this.deps.settings.get(tenantId, 'sms')) !== undefined;
  }

  async send(d: ChannelDelivery): Promise<ChannelSendResult> {
    const settings = await this.deps.settings.get(d.tenantId, 'sms');
    if (!settings) return { status: 'failed', reason: 'SMS is not set up for this business' };
    const sms = smsText(d, settings.maxSegments);
    if (sms.segments > settings.maxSegments) return { status: 'failed', reason: `the links alone need ${sms.segments} SMS parts, more than the limit of ${settings.maxSegments}` };
    return this.provider(settings).send(d.identity.value, sms.text);
  }
}
