import { GrammyError, type Api } from 'grammy';
import type { ChannelAdapter, ChannelDelivery, ChannelSendResult } from '../../../plugin-sdk.js';
import type { Limiter } from './limiter.js';
import { redactError } from './redact.js';
import { clip, replyMarkup } from './render.js';

export interface TelegramBots {
  /** the bot's API while it is on (enabled, with a token), else undefined */
  api(botId: string): Promise<Api | undefined>;
  /** whether the business has a bot that is on */
  hasBot(tenantId: string): Promise<boolean>;
  /** the payments plugin's provider token for invoices of this business in this bot; undefined when none takes payments */
  invoiceToken(tenantId: string, botId: string): Promise<string | undefined>;
  readonly limiter: Limiter;
}

export type InvoiceFields = { title: string; description: string; payload: string; currency: string; prices: Array<{ label: string; amount: number }> } & Record<string, unknown>;

/** An invoice message: the plugin's fields, the token added only now (it is never stored with the message). */
function sendInvoice(api: Api, chat: string, invoice: Record<string, unknown>, providerToken: string, signal: Parameters<Api['sendInvoice']>[7]) {
  const { title, description, payload, currency, prices, ...other } = invoice as InvoiceFields;
  return api.sendInvoice(chat, title, description, payload, currency, prices, { ...other, provider_token: providerToken }, signal);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What Telegram answers when the chat is gone for this bot: blocked, deleted account, never started. */
const UNREACHABLE = /blocked by the user|user is deactivated|chat not found|bot can't initiate/i;

/**
 * Telegram as a channel of the message outbox: one message to one chat of one bot, within the limits every
 * instance shares. A 429 is handed back as a retry after its `retry_after` (the row is rescheduled, not failed);
 * a 403 "blocked by the user" as unreachable, so the contact's next channel is tried.
 */
export function telegramAdapter(bots: TelegramBots, opts: { timeoutMs: number }): ChannelAdapter {
  return {
    kind: 'telegram',
    available: (tenantId) => bots.hasBot(tenantId),
    async send(d: ChannelDelivery): Promise<ChannelSendResult> {
      const botId = d.identity.botId;
      const chat = d.identity.value;
      const api = botId ? await bots.api(botId) : undefined;
      if (!botId || !api) return { status: 'failed', reason: `the bot ${botId ?? '(none)'} is off or deleted` };
      const invoiceToken = d.invoice ? await bots.invoiceToken(d.tenantId, botId) : undefined;
      if (d.invoice && invoiceToken === undefined) return { status: 'failed', reason: 'invoice messages are sent by the payments plugin, which is not installed or has no provider token' };
      const slot = await bots.limiter.reserve(botId, chat);
      if ('chatReadyInMs' in slot) return { status: 'retry', reason: 'the chat’s send limit', afterMs: slot.chatReadyInMs };
      if (slot.waitMs > 0) await sleep(slot.waitMs);
      if (d.signal?.aborted) return { status: 'retry', reason: 'out of time before the send', afterMs: 0 };
      const markup = replyMarkup(d);
      const timeout = AbortSignal.timeout(opts.timeoutMs);
      // grammY types its signal parameter with the abort-controller polyfill's AbortSignal
      const signal = (d.signal ? AbortSignal.any([d.signal, timeout]) : timeout) as Parameters<Api['sendMessage']>[3];
      try {
        const sent = d.invoice ? await sendInvoice(api, chat, d.invoice, invoiceToken!, signal)
          : d.photo
          ? await api.sendPhoto(chat, d.photo, { caption: clip(d.text, 1024), ...(markup ? { reply_markup: markup } : {}) }, signal)
          : await api.sendMessage(chat, clip(d.text, 4096), markup ? { reply_markup: markup } : {}, signal);
        return { status: 'sent', providerId: String(sent.message_id) };
      } catch (e) {
        if (!(e instanceof GrammyError)) return { status: 'retry', reason: String((redactError(e) as Error | undefined)?.message ?? e) };
        if (e.error_code === 429) {
          const ms = (e.parameters.retry_after ?? 1) * 1000;
          await bots.limiter.pause(botId, chat, ms);
          return { status: 'retry', reason: e.description, afterMs: ms };
        }
        if (e.error_code === 403 || UNREACHABLE.test(e.description)) return { status: 'unreachable', reason: e.description };
        if (e.error_code >= 500) return { status: 'retry', reason: e.description };
        return { status: 'failed', reason: e.description };
      }
    },
  };
}
