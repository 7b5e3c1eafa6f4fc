import type { ChannelAdapter, ChannelDelivery, ChannelSendResult, PluginContext } from '../../../plugin-sdk.js';
import type { ChannelSettings } from '../settings.js';
import type { UnsubscribeLinks } from '../unsubscribe.js';
import { renderEmail, type Translate } from './render.js';
import { sendSmtp, type SmtpOptions } from './smtp.js';

export interface EmailChannelDeps {
  settings: ChannelSettings;
  links: UnsubscribeLinks;
  t: Translate;
  smtp: SmtpOptions;
}

/** Email through each business's own SMTP server (nodemailer). */
export class EmailChannel implements ChannelAdapter {
  readonly kind = 'email' as const;

  constructor(private readonly deps: EmailChannelDeps) {}

  async available(tenantId: string): Promise<boolean> {
    return (await this.deps.settings.get(tenantId, 'email')) !== undefined;
  }

  async send(d: ChannelDelivery, ctx: PluginContext): Promise<ChannelSendResult> {
    return this.deliver(d, (await ctx.business(d.tenantId)).name);
  }

  /** Sends with the business's name in the chrome (the test send has no plugin context). */
  async deliver(d: ChannelDelivery, business: string): Promise<ChannelSendResult> {
    const settings = await this.deps.settings.get(d.tenantId, 'email');
    if (!settings) return { status: 'failed', reason: 'email is not set up for this business' };
    let unsubscribeUrl: string | undefined;
    if (d.purpose === 'marketing') {
      // Marketing without a working way out is not sent at all.
      unsubscribeUrl = d.contactId ? this.deps.links.url(d.tenantId, d.contactId) : undefined;
      if (!unsubscribeUrl) return { status: 'failed', reason: d.contactId ? 'PUBLIC_URL is not set, so no unsubscribe link can be made' : 'a marketing email needs a contact to unsubscribe' };
    }
    const mail = renderEmail(d, business, this.deps.t, unsubscribeUrl);
    const domain = settings.fromAddress.split('@')[1];
    return sendSmtp(settings, { ...mail, to: d.identity.value, messageId: `<${d.messageId}.${d.tenantId}@${domain}>`, unsubscribeUrl }, this.deps.smtp);
  }
}
