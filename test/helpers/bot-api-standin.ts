/**
 * A local stand-in for the Telegram Bot API, speaking its HTTP protocol on a real port: point
 * TELEGRAM_API_ROOT at `url`. It answers getMe, setWebhook/deleteWebhook, getUpdates (long poll),
 * sendMessage, sendPhoto, answerCallbackQuery, editMessageReplyMarkup/editMessageText,
 * setMyCommands, getFile with the file download route (`/file/bot<token>/<path>`, files added with `addFile`), and the
 * payments methods (sendInvoice, createInvoiceLink, answerPreCheckoutQuery: a client pays an invoice with `checkout`,
 * a link with `payLink`); records every call; delivers injected updates to the bot's webhook (with the
 * secret header) or to getUpdates, and runs a method the webhook answers with (as Telegram does: its result goes
 * nowhere); and can answer a method with 429 and parameters.retry_after.
 * Like Telegram it enforces the send limits (`limits`): more than 30 messages in a second from one
 * bot, or a chat beyond about one a second (bursts of 3), is answered 429 with retry_after. A chat
 * in `blocked` answers 403 "bot was blocked by the user"; a chat in `held` gets no answer at all
 * (the request hangs until the sender gives up or dies).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  token: string;
  method: string;
  payload: Record<string, any>;
  /** the status the stand-in answered with; 0: none (a held request whose sender went away) */
  status: number;
  /** when it was answered; for an accepted send, the instant the flood limits counted it */
  at: number;
  /** 'webhook': the method came in the webhook's answer, not as a request of its own */
  via?: 'webhook';
}

/** Telegram's flood limits as the stand-in applies them to sendMessage and sendPhoto. */
export interface StandInLimits {
  /** messages one bot may send in any `windowMs` */
  perBot: { count: number; windowMs: number };
  /** per chat: a token bucket */
  perChat: { rate: number; burst: number };
}

export const TELEGRAM_FLOOD_LIMITS: StandInLimits = { perBot: { count: 30, windowMs: 1000 }, perChat: { rate: 1, burst: 3 } };

interface BotState {
  queue: any[];
  nextUpdateId: number;
  webhook?: { url: string; secret?: string };
  waiters: Set<() => void>;
  nextMessageId: number;
}

const TOKEN = /^(\d+):[A-Za-z0-9_-]{20,}$/;
/** the methods answered `true` that a webhook may answer with (the stand-in runs no others from there) */
const WEBHOOK_METHODS = new Set(['answerCallbackQuery', 'editMessageReplyMarkup', 'answerPreCheckoutQuery', 'setMyCommands', 'deleteMyCommands']);

export class BotApiStandIn {
  readonly calls: RecordedCall[] = [];
  readonly events = new EventEmitter();
  /** where webhooks really go (a reverse proxy in front of PUBLIC_URL): the URL's path is kept */
  webhookTarget?: string;
  /** tokens getMe refuses, as Telegram does for revoked ones */
  readonly revoked = new Set<string>();
  private readonly bots = new Map<string, BotState>();
  private readonly failures: Array<{ method: string; retryAfter: number }> = [];
  /** null switches the flood limits off */
  limits: StandInLimits | null = TELEGRAM_FLOOD_LIMITS;
  /** chats that blocked the bot: sends to them answer 403 */
  readonly blocked = new Set<string>();
  /** chats whose sends get no answer; `events` emits 'held' when one arrives */
  readonly held = new Set<string>();
  /** per bot, when its accepted sends were; per bot and chat, the bucket's level and time */
  private readonly botSends = new Map<string, number[]>();
  private readonly chatBuckets = new Map<string, { tokens: number; at: number }>();
  private server!: http.Server;
  url = '';

  static async start(): Promise<BotApiStandIn> {
    const s = new BotApiStandIn();
    s.events.setMaxListeners(0);
    s.server = http.createServer((req, res) => void s.handle(req, res));
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  async close(): Promise<void> {
    for (const b of this.bots.values()) for (const w of b.waiters) w();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private bot(token: string): BotState {
    let b = this.bots.get(token);
    if (!b) {
      b = { queue: [], nextUpdateId: 1000, waiters: new Set(), nextMessageId: 1 };
      this.bots.set(token, b);
    }
    return b;
  }

  /** The next call of `method` (any bot) answers 429 with this retry_after, `times` times. */
  failNext(method: string, retryAfter: number, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ method, retryAfter });
  }

  /** Updates queued for getUpdates and not yet confirmed by a later offset. */
  pending(token: string): number {
    return this.bots.get(token)?.queue.length ?? 0;
  }

  webhookOf(token: string): { url: string; secret?: string } | undefined {
    return this.bots.get(token)?.webhook;
  }

  /**
   * Hands an update to the bot as Telegram would: POSTs it to the webhook (answering with the
   * webhook's HTTP status) or queues it for getUpdates. Without update_id one is assigned.
   */
  async deliver(token: string, update: Record<string, any>): Promise<{ update: any; status?: number }> {
    const b = this.bot(token);
    const u = { update_id: update.update_id ?? b.nextUpdateId++, ...update };
    if (!b.webhook) {
      b.queue.push(u);
      for (const w of b.waiters) w();
      return { update: u };
    }
    const target = this.webhookTarget ? this.webhookTarget + new URL(b.webhook.url).pathname : b.webhook.url;
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(b.webhook.secret ? { 'x-telegram-bot-api-secret-token': b.webhook.secret } : {}) },
      body: JSON.stringify(u),
    });
    const answer = await res.text();
    if (res.ok) this.webhookAnswer(token, answer);
    return { update: u, status: res.status };
  }

  private webhookAnswer(token: string, answer: string): void {
    let body: Record<string, any> | undefined;
    try { body = JSON.parse(answer); } catch { return; }
    if (typeof body?.method !== 'string') return;
    const { method, ...payload } = body;
    const call: RecordedCall = { token, method, payload, status: WEBHOOK_METHODS.has(method) ? 200 : 400, at: Date.now(), via: 'webhook' };
    this.calls.push(call);
    this.events.emit('call', call);
  }

  /** the language each client's Telegram app is set to (en unless a text() said otherwise) */
  private readonly languages = new Map<number, string>();

  private from(chatId: number) {
    return { id: chatId, is_bot: false, first_name: `Client${chatId}`, language_code: this.languages.get(chatId) ?? 'en' };
  }

  /** A client writes text (or a command) in a private chat with the bot. */
  text(token: string, chatId: number, text: string, opts: { language?: string } = {}) {
    if (opts.language) this.languages.set(chatId, opts.language);
    const from = this.from(chatId);
    return this.deliver(token, { message: { message_id: this.bot(token).nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: from.first_name }, from, text, ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] } : {}) } });
  }

  /** files clients sent, by file_id: what getFile and the download route serve (`size` as Telegram tells it) */
  private readonly files = new Map<string, { path: string; data: Buffer; size: number }>();
  private fileSeq = 0;

  /** A file as Telegram keeps it; `reportedSize` makes the sizes Telegram reports differ from the bytes. */
  addFile(data: Buffer, opts: { reportedSize?: number } = {}): { file_id: string; file_unique_id: string; file_size: number } {
    const n = ++this.fileSeq;
    const file = { file_id: `AgAC-file-${n}-${Math.random().toString(36).slice(2, 10)}`, file_unique_id: `uniq${n}`, file_size: opts.reportedSize ?? data.length };
    this.files.set(file.file_id, { path: `documents/file_${n}`, data, size: file.file_size });
    return file;
  }

  private media(token: string, chatId: number, fields: Record<string, unknown>) {
    const from = this.from(chatId);
    return this.deliver(token, { message: { message_id: this.bot(token).nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from, ...fields } });
  }

  /** A client sends a photo: Telegram's sizes of it (a 90 px preview, then the photo), optionally a caption and an album id. */
  photo(token: string, chatId: number, photo: Buffer, opts: { thumb?: Buffer; caption?: string; mediaGroupId?: string; reportedSize?: number } = {}) {
    const sizes = [
      ...(opts.thumb ? [{ ...this.addFile(opts.thumb), width: 90, height: 120 }] : []),
      { ...this.addFile(photo, { reportedSize: opts.reportedSize }), width: 960, height: 1280 },
    ];
    return this.media(token, chatId, { photo: sizes, ...(opts.caption ? { caption: opts.caption } : {}), ...(opts.mediaGroupId ? { media_group_id: opts.mediaGroupId } : {}) });
  }

  /** A client sends a video (with Telegram's JPEG thumbnail when given). */
  video(token: string, chatId: number, video: Buffer, opts: { duration?: number; thumb?: Buffer; reportedSize?: number; mimeType?: string } = {}) {
    return this.media(token, chatId, { video: {
      ...this.addFile(video, { reportedSize: opts.reportedSize }), width: 720, height: 1280, duration: opts.duration ?? 10, mime_type: opts.mimeType ?? 'video/mp4',
      ...(opts.thumb ? { thumbnail: { ...this.addFile(opts.thumb), width: 180, height: 320 } } : {}),
    } });
  }

  /** A client sends a file "as a document". */
  document(token: string, chatId: number, data: Buffer, opts: { name?: string; mimeType?: string } = {}) {
    return this.media(token, chatId, { document: { ...this.addFile(data), file_name: opts.name ?? 'file.bin', mime_type: opts.mimeType ?? 'application/octet-stream' } });
  }

  /** How often the download route served each file path (a retried job fetches again). */
  readonly downloads: string[] = [];

  /** A client shares their own contact. */
  contact(token: string, chatId: number, phone: string) {
    const from = this.from(chatId);
    return this.deliver(token, { message: { message_id: this.bot(token).nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from, contact: { phone_number: phone, first_name: from.first_name, user_id: chatId } } });
  }

  /** A client presses an inline button of a message the bot sent. */
  press(token: string, chatId: number, callbackData: string, messageId = 1) {
    return this.deliver(token, { callback_query: { id: `cq${Math.random().toString(36).slice(2)}`, from: this.from(chatId), chat_instance: String(chatId), data: callbackData, message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, text: '' } } });
  }

  /** A client presses the first inline button of `m` whose label matches; none matching fails with the labels there were. */
  pressWhere(token: string, chatId: number, m: SentMessage, match: (label: string) => boolean) {
    const b = inlineButtons(m).find((x) => match(x.text));
    if (!b) throw new Error(`no button in ${JSON.stringify(inlineButtons(m).map((x) => x.text))}`);
    return this.press(token, chatId, b.callback_data);
  }

  /** Invoices (sendInvoice that succeeded) sent to a chat, in order. */
  invoices(chatId: number | string): Array<Record<string, any>> {
    return this.calls.filter((c) => c.method === 'sendInvoice' && c.status === 200 && String(c.payload.chat_id) === String(chatId)).map((c) => c.payload);
  }

  /**
   * The client pays an invoice as Telegram runs it: a pre_checkout_query, whose answer the bot must give within
   * 10 s (else the payment fails), then — only when it said ok — a message with successful_payment. Resolves to
   * the answer and how long it took; `amount` overrides the total (a tampered or stale invoice).
   */
  async checkout(token: string, chatId: number, invoice: Record<string, any>, opts: { amount?: number; chargeId?: string; providerChargeId?: string } = {}): Promise<{ ok: boolean; error?: string; ms: number; update?: any }> {
    const total = opts.amount ?? (invoice.prices as Array<{ amount: number }>).reduce((a, p) => a + p.amount, 0);
    const id = `pcq${Math.random().toString(36).slice(2)}`;
    const answered = new Promise<RecordedCall>((resolve) => {
      const on = (c: RecordedCall) => {
        if (c.method === 'answerPreCheckoutQuery' && c.payload.pre_checkout_query_id === id) { this.events.off('call', on); resolve(c); }
      };
      this.events.on('call', on);
    });
    const started = Date.now();
    await this.deliver(token, { pre_checkout_query: { id, from: this.from(chatId), currency: invoice.currency, total_amount: total, invoice_payload: invoice.payload } });
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 10_000).unref());
    const answer = await Promise.race([answered, timeout]);
    const ms = Date.now() - started;
    if (!answer) return { ok: false, error: 'no answer within 10 s', ms };
    if (!answer.payload.ok) return { ok: false, error: answer.payload.error_message, ms };
    const { update } = await this.successfulPayment(token, chatId, { currency: invoice.currency, total_amount: total, invoice_payload: invoice.payload, telegram_payment_charge_id: opts.chargeId ?? `tg-charge-${id}`, provider_payment_charge_id: opts.providerChargeId ?? `provider-${id}` });
    return { ok: true, ms, update };
  }

  /** Invoice links createInvoiceLink made: the bot's token and the invoice's fields (with provider_token), by link. */
  readonly links = new Map<string, { token: string; invoice: Record<string, any> }>();

  /**
   * A Telegram user opens an invoice link (in a Mini App or from a page) and pays it: the pre_checkout_query and
   * the successful_payment go to the bot that made the link, as `checkout` runs them for a chat's invoice.
   */
  payLink(url: string, userId: number, opts: { amount?: number; chargeId?: string; providerChargeId?: string } = {}) {
    const link = this.links.get(url);
    if (!link) throw new Error(`no invoice link ${url} was made`);
    return this.checkout(link.token, userId, link.invoice, opts);
  }

  /** The service message Telegram sends after a payment went through (also to replay one). */
  successfulPayment(token: string, chatId: number, paid: { currency: string; total_amount: number; invoice_payload: string; telegram_payment_charge_id: string; provider_payment_charge_id: string }) {
    const from = this.from(chatId);
    return this.deliver(token, { message: { message_id: this.bot(token).nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from, successful_payment: paid } });
  }

  /** 429s the flood limits answered (not those of failNext). */
  floodRefusals = 0;

  /** How long until the bot and chat may send again (0: now), as Telegram's flood control sees it. */
  private flood(token: string, chatId: string, now: number): number {
    const l = this.limits;
    if (!l) return 0;
    const sends = (this.botSends.get(token) ?? []).filter((t) => t > now - l.perBot.windowMs);
    this.botSends.set(token, sends);
    const bucket = this.chatBuckets.get(`${token}:${chatId}`) ?? { tokens: l.perChat.burst, at: now };
    const tokens = Math.min(l.perChat.burst, bucket.tokens + ((now - bucket.at) / 1000) * l.perChat.rate);
    const botWait = sends.length >= l.perBot.count ? sends[sends.length - l.perBot.count] + l.perBot.windowMs - now : 0;
    const chatWait = tokens < 1 ? ((1 - tokens) / l.perChat.rate) * 1000 : 0;
    if (botWait > 0 || chatWait > 0) return Math.max(botWait, chatWait);
    sends.push(now);
    this.chatBuckets.set(`${token}:${chatId}`, { tokens: tokens - 1, at: now });
    return 0;
  }

  /** Messages (sendMessage/sendPhoto that succeeded) sent to a chat, in order. */
  sent(chatId: number | string, token?: string): Array<Record<string, any>> {
    return this.calls.filter((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.status === 200 && String(c.payload.chat_id) === String(chatId) && (!token || c.token === token)).map((c) => c.payload);
  }

  /** A reader of the chat's messages: each call waits for the next `count` the bot sends and returns just those. */
  reader(chatId: number | string): (count: number) => Promise<Array<Record<string, any>>> {
    let seen = 0;
    return async (count) => {
      const fresh = (await this.waitForSent(chatId, seen + count)).slice(seen);
      seen += fresh.length;
      return fresh;
    };
  }

  /** Waits until `count` messages were sent to the chat and returns them all. */
  async waitForSent(chatId: number | string, count: number, timeoutMs = 20_000): Promise<Array<Record<string, any>>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.sent(chatId);
      if (got.length >= count) return got;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${count} messages to chat ${chatId}; got ${JSON.stringify(got.map((m) => m.text))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 200);
        this.events.once('call', () => { clearTimeout(t); r(); });
      });
    }
  }

  /** `/file/bot<token>/<path>`: the bytes of a file getFile gave the path of, to that bot's token only. */
  private download(pathname: string, res: http.ServerResponse): boolean {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
    if (!file) return false;
    const [, token, filePath] = file;
    const found = TOKEN.test(token) && !this.revoked.has(token) ? [...this.files.values()].find((f) => f.path === filePath) : undefined;
    this.downloads.push(filePath);
    if (!found) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': found.data.length }).end(found.data);
    return true;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.download(new URL(req.url ?? '/', 'http://x').pathname, res)) return;
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let payload: Record<string, any> = {};
    try { payload = raw ? JSON.parse(raw) : {}; } catch { /* multipart is not supported by the stand-in */ }
    // An accepted send is recorded at the instant the flood limits counted it: checks of the recorded times see what they saw.
    let countedAt: number | undefined;
    const send = (status: number, body: unknown, token = '', method = '') => {
      if (method) {
        const call = { token, method, payload, status, at: countedAt ?? Date.now() };
        this.calls.push(call);
        this.events.emit('call', call);
      }
      if (!res.writableEnded && !res.destroyed) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }
    };
    if (!match) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match;
    if (!TOKEN.test(token) || this.revoked.has(token)) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' }, token, method);
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const { retryAfter } = this.failures.splice(failure, 1)[0];
      return send(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }, token, method);
    }
    if (method === 'sendMessage' || method === 'sendPhoto' || method === 'sendInvoice') {
      const chat = String(payload.chat_id);
      if (this.held.has(chat)) {
        this.events.emit('held', { token, method, payload });
        await new Promise<void>((resolve) => res.once('close', () => resolve()));
        return send(0, {}, token, method);
      }
      if (this.blocked.has(chat)) return send(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }, token, method);
      const now = Date.now();
      const wait = this.flood(token, chat, now);
      if (wait === 0) countedAt = now;
      if (wait > 0) {
        this.floodRefusals++;
        const retryAfter = Math.max(1, Math.ceil(wait / 1000));
        return send(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }, token, method);
      }
    }
    const b = this.bot(token);
    const botId = Number(TOKEN.exec(token)![1]);
    const message = () => ({ message_id: b.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: 'private' }, from: { id: botId, is_bot: true, first_name: 'Bot' }, ...(payload.text ? { text: payload.text } : {}), ...(payload.caption ? { caption: payload.caption } : {}), ...(payload.reply_markup?.inline_keyboard ? { reply_markup: payload.reply_markup } : {}) });
    switch (method) {
      case 'getMe':
        return send(200, { ok: true, result: { id: botId, is_bot: true, first_name: `Bot ${botId}`, username: `bot${botId}_bot`, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } }, token, method);
      case 'setWebhook':
        b.webhook = { url: payload.url, secret: payload.secret_token };
        return send(200, { ok: true, result: true }, token, method);
      case 'deleteWebhook':
        b.webhook = undefined;
        return send(200, { ok: true, result: true }, token, method);
      case 'getUpdates': {
        if (b.webhook) return send(409, { ok: false, error_code: 409, description: 'Conflict: can\'t use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first' }, token, method);
        const offset = Number(payload.offset ?? 0);
        const timeoutMs = Math.min(Number(payload.timeout ?? 0), 50) * 1000;
        // Asking from an offset confirms every earlier update.
        b.queue = b.queue.filter((u) => u.update_id >= offset);
        if (!b.queue.length && timeoutMs > 0) {
          await new Promise<void>((resolve) => {
            const done = () => { clearTimeout(timer); b.waiters.delete(done); resolve(); };
            const timer = setTimeout(done, timeoutMs);
            b.waiters.add(done);
            req.socket.once('close', done);
          });
        }
        return send(200, { ok: true, result: b.queue.slice(0, Number(payload.limit ?? 100)) }, token, method);
      }
      case 'sendMessage':
      case 'sendPhoto':
      case 'editMessageText':
        return send(200, { ok: true, result: message() }, token, method);
      case 'sendInvoice': {
        if (badInvoice(payload)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: invoice fields are invalid' }, token, method);
        return send(200, { ok: true, result: { ...message(), invoice: { title: payload.title, description: payload.description, start_parameter: '', currency: payload.currency, total_amount: payload.prices.reduce((a: number, p: any) => a + p.amount, 0) } } }, token, method);
      }
      case 'getFile': {
        const f = this.files.get(String(payload.file_id));
        if (!f) return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }, token, method);
        return send(200, { ok: true, result: { file_id: payload.file_id, file_unique_id: `u-${payload.file_id}`, file_size: f.size, file_path: f.path } }, token, method);
      }
      case 'createInvoiceLink': {
        // The same fields as sendInvoice without a chat; the answer is the link (a String), `https://t.me/$<slug>`.
        if (badInvoice(payload)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: invoice fields are invalid' }, token, method);
        const url = `https://t.me/$${Buffer.from(`${botId}:${b.nextMessageId++}`).toString('base64url')}`;
        this.links.set(url, { token, invoice: payload });
        return send(200, { ok: true, result: url }, token, method);
      }
      case 'answerPreCheckoutQuery':
      case 'answerCallbackQuery':
      case 'editMessageReplyMarkup':
      case 'setMyCommands':
      case 'deleteMyCommands':
        return send(200, { ok: true, result: true }, token, method);
      default:
        return send(404, { ok: false, error_code: 404, description: `Not Found: method ${method} is not in the stand-in` }, token, method);
    }
  }
}

/** Telegram's own checks of an invoice: lengths, a provider token unless in Stars, minor-unit integer prices. */
function badInvoice(p: Record<string, any>): boolean {
  return !p.title || p.title.length > 32 || !p.description || p.description.length > 255
    || !p.payload || Buffer.byteLength(p.payload) > 128 || !/^[A-Z]{3}$/.test(p.currency ?? '')
    || (p.currency !== 'XTR' && !p.provider_token)
    || !Array.isArray(p.prices) || !p.prices.length || p.prices.some((x: any) => !Number.isInteger(x.amount) || !x.label);
}

/** The most of these instants (ms) in any window of `windowMs`: e.g. a bot's accepted sends in its busiest second. */
export function busiest(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j] - sorted[i] < windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

/** A message the bot sent, as the Bot API received it. */
export type SentMessage = Record<string, any>;

/** The inline keyboard buttons of a sent message, in order. */
export const inlineButtons = (m: SentMessage) => (m.reply_markup?.inline_keyboard ?? []).flat() as Array<{ text: string; callback_data: string }>;
