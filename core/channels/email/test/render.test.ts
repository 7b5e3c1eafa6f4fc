import { describe, expect, it } from 'vitest';
import type { ChannelDelivery } from '../../../../plugin-sdk.js';
import { createI18n } from '../../../i18n/i18n.js';
import { renderEmail, type Translate } from '../render.js';

const texts = await createI18n({});
const t: Translate = (lng, key, vars) => texts.t(key, { lng, ns: 'core', ...vars });
const delivery = (over: Partial<ChannelDelivery>): ChannelDelivery => ({
  messageId: 'm1', tenantId: 't1', contactId: null, purpose: 'transactional', locale: 'en',
  identity: { kind: 'email', value: 'anna@client.test', botId: null, verified: true, unreachable: false }, text: 'Hello', ...over,
});

describe('email rendering', () => {
  it('shows a photo only from an https URL (a Telegram file id is no picture here) and Mini App buttons as links', () => {
    const shown = renderEmail(delivery({ photo: 'https://cdn.example/p.jpg?a=1&b=2', buttons: [[{ label: 'Open the app', webApp: 'https://app.example/' }]] }), 'Salon', t);
    expect(shown.html).toContain('<img src="https://cdn.example/p.jpg?a=1&amp;b=2"');
    expect(shown.html).toContain('href="https://app.example/"');
    expect(shown.text).toContain('Open the app: https://app.example/');
    for (const photo of ['AgACAgIAAxkBAAIB', 'http://cdn.example/p.jpg', 'javascript:alert(1)']) expect(renderEmail(delivery({ photo }), 'Salon', t).html).not.toContain('<img');
  });

  it('escapes the business name, the subject has no line breaks, and only marketing carries the unsubscribe line', () => {
    const mail = renderEmail(delivery({ subject: 'Line one\r\nBcc: someone@evil.test' }), '<Salon & Co>', t);
    expect(mail.subject).toBe('Line one Bcc: someone@evil.test');
    expect(mail.html).toContain('Sent by &lt;Salon &amp; Co&gt; to anna@client.test.');
    expect(mail.html).not.toContain('<Salon');
    expect(mail.text).not.toContain('unsubscribe');
    const marketing = renderEmail(delivery({ purpose: 'marketing' }), 'Salon', t, 'https://bookflow.example/u/x');
    expect(marketing.text).toContain('To stop receiving news and offers: https://bookflow.example/u/x');
    expect(marketing.html).toContain('<a href="https://bookflow.example/u/x" style="color:#57606a">Unsubscribe from news and offers</a>');
  });
});
