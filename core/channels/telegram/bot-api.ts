import { Api, type Transformer } from 'grammy';
import type { Logger } from 'pino';
import type { Limiter } from './limiter.js';
import { redactError } from './redact.js';

/** Methods that post into a chat and count against Telegram's flood limits. */
const SENDING = new Set(['sendMessage', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup', 'sendChatAction']);
const MAX_RETRIES = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A grammY Api for one bot whose calls go through the limiter and retry a 429 after its
 * `retry_after` (the whole bot pauses meanwhile).
 */
export function createBotApi(token: string, apiRoot: string, opts: { botId: string; limiter: Limiter; log: Logger }): Api {
  const api = new Api(token, { apiRoot });
  const throttle: Transformer = async (prev, method, payload, signal) => {
    const chatId = SENDING.has(method) ? String((payload as { chat_id?: unknown }).chat_id ?? '') : undefined;
    for (let attempt = 0; ; attempt++) {
      if (SENDING.has(method)) await opts.limiter.acquire(opts.botId, chatId);
      // A failed fetch names the URL, token included; it must not reach logs or bots.last_error.
      const res = await prev(method, payload, signal).catch((e: unknown) => { throw redactError(e); });
      if (res.ok || res.error_code !== 429 || attempt >= MAX_RETRIES) return res;
      const waitMs = (res.parameters?.retry_after ?? 1) * 1000;
      opts.log.warn({ bot: opts.botId, method, retryAfter: waitMs / 1000 }, 'telegram flood limit, retrying');
      opts.limiter.pause(opts.botId, waitMs);
      await sleep(waitMs);
    }
  };
  api.config.use(throttle);
  return api;
}
