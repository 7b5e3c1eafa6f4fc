import { Api, type Transformer } from 'grammy';
import type { Logger } from 'pino';
import { redactError } from './redact.js';

/** Sent through the message outbox, which reschedules a 429 itself (the limiter shares the wait across instances). */
const OUTBOX_METHODS = new Set(['sendMessage', 'sendPhoto']);
const MAX_RETRIES = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A grammY Api for one bot whose failed calls never show the token, and whose calls other than the outbox's
 * sends retry a 429 after its `retry_after`.
 */
export function createBotApi(token: string, apiRoot: string, opts: { botId: string; log: Logger }): Api {
  const api = new Api(token, { apiRoot });
  const guard: Transformer = async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      // A failed fetch names the URL, token included; it must not reach logs or bots.last_error.
      const res = await prev(method, payload, signal).catch((e: unknown) => { throw redactError(e); });
      if (res.ok || res.error_code !== 429 || attempt >= MAX_RETRIES || OUTBOX_METHODS.has(method)) return res;
      const waitMs = (res.parameters?.retry_after ?? 1) * 1000;
      opts.log.warn({ bot: opts.botId, method, retryAfter: waitMs / 1000 }, 'telegram flood limit, retrying');
      await sleep(waitMs);
    }
  };
  api.config.use(guard);
  return api;
}
