import net from 'node:net';
import nodemailer from 'nodemailer';
import type { ChannelSendResult } from '../../../plugin-sdk.js';
import { publicAddresses } from '../../flow/nodes/outbound-url.js';
import type { EmailSettings } from '../settings.js';
import type { RenderedEmail } from './render.js';

export interface SmtpMessage extends RenderedEmail {
  to: string;
  /** a Message-ID stable across retries, so a receiver can drop a second copy */
  messageId: string;
  unsubscribeUrl?: string;
}

export interface SmtpOptions {
  /** SMTP_ALLOW_PRIVATE: servers on loopback and private networks may be used (a local relay) */
  allowPrivate: boolean;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

const CONNECTION = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * What a failed send means for the message. Permanent refusals (5xx) of the recipient or of this
 * message bounce the address; a refusal of our own login, TLS or sender is the business's settings
 * (the address is fine); 4xx and a server that cannot be reached now are tried again later.
 */
export function smtpResult(e: SmtpError): ChannelSendResult {
  const reason = (e.response ?? e.message).slice(0, 500);
  const code = e.responseCode;
  if (e.code === 'EAUTH' || e.code === 'ETLS' || e.command === 'MAIL FROM') return { status: code && code < 500 ? 'retry' : 'failed', reason };
  if (code && code >= 500) return { status: 'unreachable', reason };
  if (code && code >= 400) return { status: 'retry', reason };
  if (e.code && CONNECTION.has(e.code)) return { status: 'retry', reason };
  return { status: 'failed', reason };
}

/** Sends one message over the business's SMTP server: one connection per message, closed after. */
export async function sendSmtp(settings: EmailSettings, message: SmtpMessage, opts: SmtpOptions): Promise<ChannelSendResult> {
  const host = settings.host.replace(/^\[|\]$/g, '');
  let address = host;
  if (!opts.allowPrivate) {
    // Connect to the checked address: a second DNS answer could point somewhere else.
    try {
      address = (await publicAddresses(host, 'email'))[0];
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? { status: 'retry', reason: (e as Error).message } : { status: 'failed', reason: (e as Error).message };
    }
  }
  const transport = nodemailer.createTransport({
    host: address,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    // The certificate is checked against the name typed in the settings, not the address connected to.
    servername: net.isIP(host) ? undefined : host,
    auth: settings.user && settings.password ? { user: settings.user, pass: settings.password } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const info = await transport.sendMail({
      from: settings.fromName ? { name: settings.fromName, address: settings.fromAddress } : settings.fromAddress,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: message.messageId,
      ...(message.unsubscribeUrl ? { list: { unsubscribe: message.unsubscribeUrl }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
    });
    if (info.rejected.length) return { status: 'unreachable', reason: String(info.response ?? 'recipient rejected').slice(0, 500) };
    return { status: 'sent', providerId: info.messageId };
  } catch (e) {
    return smtpResult(e as SmtpError);
  } finally {
    transport.close();
  }
}
