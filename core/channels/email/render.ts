import type { ChannelDelivery, Locale } from '../../../plugin-sdk.js';

export type Translate = (locale: Locale, key: string, vars?: Record<string, unknown>) => string;

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Only web links become links: a `javascript:` or `data:` URL in a button is no button in an email. */
const webUrl = (raw: string | undefined) => {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
};

const paragraphs = (text: string) => text.trim().split(/\n\s*\n/).map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');

const LINK_STYLE = 'display:inline-block;margin:0 8px 8px 0;padding:10px 16px;border-radius:6px;background:#3b5bdb;color:#ffffff;text-decoration:none';

/**
 * One message as an email: HTML and plain text with the same content, everything escaped. URL and Mini App
 * buttons become links; callback buttons cannot be pressed in an email, so they are left out and one
 * sentence says the choice is in the chat; a request for the phone means nothing here. The footer names
 * the business and, for marketing, links the unsubscribe page.
 */
export function renderEmail(d: ChannelDelivery, business: string, t: Translate, unsubscribeUrl?: string): RenderedEmail {
  const links = (d.buttons ?? []).flat().map((b) => ({ label: b.label, url: webUrl(b.url ?? b.webApp) })).filter((b): b is { label: string; url: string } => !!b.url);
  const dropped = (d.buttons ?? []).flat().some((b) => b.callback !== undefined && !b.url && !b.webApp);
  const photo = webUrl(d.photo)?.startsWith('https:') ? webUrl(d.photo) : undefined;
  const footer = t(d.locale, 'channels.email.footer', { business, address: d.identity.value });
  const note = dropped ? t(d.locale, 'channels.email.callbacksDropped') : undefined;

  const text = [
    d.text.trim(),
    links.length ? links.map((l) => `${l.label}: ${l.url}`).join('\n') : undefined,
    note,
    `--\n${footer}`,
    unsubscribeUrl ? t(d.locale, 'channels.email.unsubscribeText', { url: unsubscribeUrl }) : undefined,
  ].filter(Boolean).join('\n\n') + '\n';

  const html = [
    '<!doctype html>',
    `<html lang="${d.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>`,
    '<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2328">',
    '<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px">',
    photo ? `<p style="margin:0 0 12px"><img src="${escapeHtml(photo)}" alt="" style="max-width:100%"></p>` : '',
    paragraphs(d.text),
    links.length ? `<p style="margin:16px 0 4px">${links.map((l) => `<a href="${escapeHtml(l.url)}" style="${LINK_STYLE}">${escapeHtml(l.label)}</a>`).join('')}</p>` : '',
    note ? `<p style="margin:12px 0;color:#57606a">${escapeHtml(note)}</p>` : '',
    '</div>',
    `<p style="max-width:560px;margin:12px auto 0;font-size:12px;color:#57606a">${escapeHtml(footer)}`,
    unsubscribeUrl ? `<br><a href="${escapeHtml(unsubscribeUrl)}" style="color:#57606a">${escapeHtml(t(d.locale, 'channels.email.unsubscribe'))}</a>` : '',
    '</p>',
    '</body></html>',
  ].filter(Boolean).join('\n');

  const subject = d.subject?.replace(/\s+/g, ' ').trim() || t(d.locale, 'channels.email.defaultSubject', { business });
  return { subject, text, html };
}
