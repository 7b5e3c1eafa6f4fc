import crypto from 'node:crypto';
import type { Api } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Db, PluginContext, Secrets, TelegramPayments } from '../../../plugin-sdk.js';
import type { AppConfig } from '../../config.js';
import { createError } from '../../errors.js';
import { withoutBadStrings } from '../../validation.js';
import { pickLocale } from '../../i18n/i18n.js';
import { DEMO_SLUG } from '../../seed/bootstrap.js';
import type { FlowEngine } from '../../flow/engine.js';
import type { FlowStore } from '../../flow/store.js';
import type { ChatMessage, Conversation, TurnEvent } from '../../flow/session.js';
import { engineText } from '../../flow/texts.js';
import type { MessageService } from '../../messages/service.js';
import { createBotApi } from './bot-api.js';
import { Limiter } from './limiter.js';
import { clip } from './render.js';
import { mediaOf } from './media.js';
import type { InvoiceFields, TelegramBots } from './adapter.js';

export interface BotRow {
  id: string;
  tenant_id: string;
  name: string;
  username: string | null;
  token_sealed: string | null;
  webhook_secret: string;
  enabled: boolean;
  status: 'active' | 'error' | 'off';
  last_error: string | null;
  flow_key: string;
  staff_chat_id: string | null;
}

/** answerCallbackQuery's parameters for a press: the stale-button notice, or nothing to show. */
export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
}

interface RunningBot {
  row: BotRow;
  api: Api;
  poll?: { abort: AbortController; done: Promise<void> };
  /** when the row was read; another instance may change the bot, so it is read again after BOT_ROW_TTL_MS */
  loadedAt: number;
}

const BOT_ROW_TTL_MS = 30_000;

const ALLOWED_UPDATES = ['message', 'callback_query', 'pre_checkout_query'] as const;

/** The plugin that takes Telegram payments (PluginServer.telegramPayments), for the businesses that enabled it. */
export interface PaymentsPlugin {
  handler: TelegramPayments;
  ctx: PluginContext;
  enabled(tenantId: string): Promise<boolean>;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs every business's Telegram bot in this process: webhooks when PUBLIC_URL is set, long
 * polling otherwise. Updates become engine turns; their replies are written to the message outbox in
 * the turn's transaction and sent by the dispatcher (telegramAdapter), in order, within the shared limits.
 */
export class TelegramChannel implements TelegramBots {
  readonly limiter: Limiter;
  private readonly bots = new Map<string, RunningBot>();
  /** chats shown a share-contact keyboard: the next plain message takes it away */
  private readonly contactKeyboards = new Set<string>();
  private readonly tenantsWithBots = new Map<string, { at: number; has: boolean }>();
  private sweep: NodeJS.Timeout | undefined;
  private stopping = false;
  private payments: PaymentsPlugin | undefined;

  /** Told when a business's bot is connected or changed: its bots (and their usernames) are part of its profile. */
  onBotsChanged: (tenantId: string) => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly engine: FlowEngine,
    private readonly store: FlowStore,
    private readonly secrets: Secrets,
    private readonly config: AppConfig,
    private readonly log: Logger,
    messages: MessageService,
  ) {
    this.limiter = new Limiter(db);
    engine.onTurn('telegram', async (trx, out, { messages: replies, staff, event, session }) => {
      const bot = out.botId ? await this.running(out.botId) : undefined;
      return messages.recordTurn(trx, {
        tenantId: out.tenantId, channel: 'telegram', conversationKey: `tg:${out.botId}:${out.chatId}`, locale: out.locale,
        contactId: out.contactId, proactive: event?.kind === 'start',
        incoming: event?.kind === 'message' ? event.text || event.contact?.phone : undefined,
        replies: this.keyboards(`${out.botId}:${out.chatId}`, replies, event?.kind === 'message' && Boolean(event.contact)),
        replyMode: 'queue', along: session,
        ...(bot?.row.staff_chat_id && staff.length ? { staff: { conversationKey: `tg:${out.botId}:${bot.row.staff_chat_id}`, texts: staff } } : {}),
      });
    });
  }

  /** The replies, a plain one marked to take away a share-contact keyboard the chat still shows. */
  private keyboards(key: string, replies: ChatMessage[], contactShared: boolean): ChatMessage[] {
    // A shared contact means a share-contact keyboard is showing, even if this process did not send it.
    if (contactShared) this.contactKeyboards.add(key);
    return replies.map((m) => {
      if (m.requestContact) this.contactKeyboards.add(key);
      else if (!m.buttons?.length && this.contactKeyboards.delete(key)) return { ...m, removeKeyboard: true };
      return m;
    });
  }

  usePayments(plugin: PaymentsPlugin): void {
    this.payments = plugin;
  }

  async invoiceToken(tenantId: string, botId: string): Promise<string | undefined> {
    const p = this.payments;
    return p && (await p.enabled(tenantId)) ? p.handler.providerToken(tenantId, botId, p.ctx) : undefined;
  }

  /**
   * A Telegram invoice link (`createInvoiceLink`) for a payer outside a chat — a Mini App, the site widget — made by
   * the business's oldest bot that is on, the payments plugin's provider token added only now. Its pre-checkout
   * query and successful payment come to that bot like a chat invoice's. Undefined: no bot on, or no token.
   */
  async invoiceLink(tenantId: string, invoice: Record<string, unknown>): Promise<{ url: string; botId: string } | undefined> {
    const rows = await this.db.selectFrom('bots').select('id').where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('enabled', '=', true)
      .where('token_sealed', 'is not', null).orderBy('created_at').orderBy('id').execute();
    for (const { id } of rows) {
      const bot = await this.running(id);
      const token = bot && (await this.invoiceToken(tenantId, id));
      if (!bot || token === undefined) continue;
      const { title, description, payload, currency, prices, ...other } = invoice as InvoiceFields;
      const url = await bot.api.createInvoiceLink(title, description, payload, token, currency, prices, other, AbortSignal.timeout(10_000) as Parameters<Api['createInvoiceLink']>[7]);
      return { url, botId: id };
    }
    return undefined;
  }

  /**
   * A pre-checkout query is answered here, in the update handler (Telegram waits 10 s); a successful payment is
   * the payments plugin's to fulfil, not a turn of the dialog. True when the update was one of these.
   */
  private async paymentUpdate(bot: RunningBot, update: Update): Promise<boolean> {
    const pcq = update.pre_checkout_query;
    const paid = update.message?.successful_payment;
    if (!pcq && !paid) return false;
    const p = this.payments;
    const tenantId = bot.row.tenant_id;
    const on = p ? await p.enabled(tenantId) : false;
    if (pcq) {
      const base = { tenantId, botId: bot.row.id, chatId: String(pcq.from.id), fromId: String(pcq.from.id), currency: pcq.currency, totalAmount: pcq.total_amount, payload: pcq.invoice_payload };
      const verdict = on ? await p!.handler.preCheckout({ ...base, queryId: pcq.id }, p!.ctx).catch((e) => {
        this.log.error({ err: e, bot: bot.row.id }, 'pre-checkout check failed');
        return { ok: false as const, error: engineText('paymentUnavailable', pickLocale(pcq.from.language_code)) };
      }) : { ok: false as const, error: engineText('paymentUnavailable', pickLocale(pcq.from.language_code)) };
      await bot.api.answerPreCheckoutQuery(pcq.id, verdict.ok, verdict.ok ? {} : { error_message: verdict.error });
      return true;
    }
    const msg = update.message!;
    if (!on) {
      this.log.error({ bot: bot.row.id, charge: paid!.telegram_payment_charge_id }, 'a payment arrived for a business whose payments plugin is off');
      return true;
    }
    await p!.handler.paid({
      tenantId, botId: bot.row.id, chatId: String(msg.chat.id), fromId: String(msg.from?.id ?? msg.chat.id), currency: paid!.currency, totalAmount: paid!.total_amount,
      payload: paid!.invoice_payload, telegramChargeId: paid!.telegram_payment_charge_id, providerChargeId: paid!.provider_payment_charge_id,
    }, p!.ctx);
    return true;
  }

  get mode(): 'webhook' | 'polling' {
    return this.config.publicUrl ? 'webhook' : 'polling';
  }

  private botApi(token: string, botId: string): Api {
    return createBotApi(token, this.config.telegramApiRoot, { botId, log: this.log });
  }

  /** The bot's API while it is on; another instance may have connected it. */
  async api(botId: string): Promise<Api | undefined> {
    return (await this.running(botId))?.api;
  }

  /** Asked before every message to a contact: read at most once per BOT_ROW_TTL_MS per business. */
  async hasBot(tenantId: string): Promise<boolean> {
    const known = this.tenantsWithBots.get(tenantId);
    if (known && Date.now() - known.at < BOT_ROW_TTL_MS) return known.has;
    const has = Boolean(await this.db.selectFrom('bots').select('id').where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('enabled', '=', true).where('token_sealed', 'is not', null).executeTakeFirst());
    this.tenantsWithBots.set(tenantId, { at: Date.now(), has });
    return has;
  }

  /** Asks Telegram who the token belongs to; BF_ERR_BOT_TOKEN_INVALID when it does not answer. */
  async checkToken(token: string): Promise<UserFromGetMe> {
    try {
      return await this.botApi(token, 'check').getMe();
    } catch (e) {
      throw createError('BF_ERR_BOT_TOKEN_INVALID', { reason: e instanceof Error ? e.message : String(e) }, e);
    }
  }

  async start(): Promise<void> {
    if (this.config.telegramBotToken) await this.bindDemoToken(this.config.telegramBotToken);
    const rows = await this.db.selectFrom('bots').selectAll().where('deleted_at', 'is', null).where('enabled', '=', true).where('token_sealed', 'is not', null).execute();
    await Promise.all(rows.map((r) => this.connect(r as BotRow)));
    this.sweep = setInterval(() => void this.limiter.sweep().catch((e) => this.log.warn({ err: e }, 'sweeping send limits failed')), 10 * 60_000);
    this.sweep.unref();
  }

  /** TELEGRAM_BOT_TOKEN drives the demo business's bot. */
  private async bindDemoToken(token: string): Promise<void> {
    const bot = await this.db.selectFrom('bots').innerJoin('tenants', 'tenants.id', 'bots.tenant_id').select(['bots.id', 'bots.token_sealed', 'bots.username'])
      .where('tenants.slug', '=', DEMO_SLUG).where('bots.is_demo', '=', true).where('bots.deleted_at', 'is', null).executeTakeFirst();
    if (!bot) return;
    const current = bot.token_sealed ? this.secrets.decrypt(bot.token_sealed) : undefined;
    // A token seeded without asking Telegram has no username yet: t.me links need it.
    if (current === token && bot.username) return;
    try {
      const me = await this.checkToken(token);
      await this.db.updateTable('bots').set({ token_sealed: this.secrets.encrypt(token), username: me.username, telegram_id: me.id, enabled: true, updated_at: new Date() }).where('id', '=', bot.id).execute();
    } catch (e) {
      this.log.error({ err: e }, 'TELEGRAM_BOT_TOKEN was not accepted; the demo bot stays off');
    }
  }

  /** Starts (or restarts) one bot: sets its webhook or starts polling, and registers its menu commands. */
  async connect(row: BotRow): Promise<void> {
    this.tenantsWithBots.delete(row.tenant_id);
    this.onBotsChanged(row.tenant_id);
    await this.disconnect(row.id);
    if (!row.token_sealed || this.stopping) return;
    if (!row.enabled) {
      // Telegram would keep retrying a webhook nobody answers.
      await this.botApi(this.secrets.decrypt(row.token_sealed), row.id).deleteWebhook().catch((e) => this.log.warn({ err: e, bot: row.id }, 'deleteWebhook failed'));
      return;
    }
    const api = this.botApi(this.secrets.decrypt(row.token_sealed), row.id);
    const bot: RunningBot = { row, api, loadedAt: Date.now() };
    this.bots.set(row.id, bot);
    try {
      if (this.config.publicUrl) {
        await api.setWebhook(`${this.config.publicUrl}/telegram/${row.id}`, { secret_token: row.webhook_secret, allowed_updates: [...ALLOWED_UPDATES] });
      } else {
        await api.deleteWebhook();
        const abort = new AbortController();
        bot.poll = { abort, done: this.poll(bot, abort.signal) };
      }
      await this.setCommands(row, api).catch((e) => this.log.warn({ err: e, bot: row.id }, 'setMyCommands failed'));
      await this.db.updateTable('bots').set({ status: 'active', last_error: null }).where('id', '=', row.id).execute();
    } catch (e) {
      this.log.error({ err: e, bot: row.id }, 'bot could not connect');
      await this.db.updateTable('bots').set({ status: 'error', last_error: e instanceof Error ? e.message : String(e) }).where('id', '=', row.id).execute();
    }
  }

  async disconnect(botId: string, opts: { dropWebhook?: boolean } = {}): Promise<void> {
    const bot = this.bots.get(botId);
    if (!bot) return;
    this.bots.delete(botId);
    bot.poll?.abort.abort();
    await bot.poll?.done;
    if (opts.dropWebhook && this.config.publicUrl) await bot.api.deleteWebhook().catch((e) => this.log.warn({ err: e, bot: botId }, 'deleteWebhook failed'));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweep);
    await Promise.all([...this.bots.keys()].map((id) => this.disconnect(id)));
  }

  /**
   * Resolves once the replies of the turns run so far left the outbox (sent, or given up): tests that read the
   * Bot API right after a turn. Messages held back on purpose (notBefore, quiet hours) are not waited for.
   */
  async settled(timeoutMs = 30_000): Promise<void> {
    // real time: a wait bound
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = await this.db.selectFrom('messages').select('id').where('status', 'in', ['queued', 'sending']).where('deferred', '=', false).where('order_key', 'like', 'tg:%').limit(1).executeTakeFirst();
      // real time: as above
      if (!open || Date.now() > deadline) return;
      await sleep(20);
    }
  }

  /**
   * After a business published (or rolled back) flows: the menus of its bots are set again, from any
   * instance (a bot's menu lives at Telegram). A failure is logged; the next publish or connect sets it again.
   */
  async refreshCommands(tenantId: string): Promise<void> {
    const rows = await this.db.selectFrom('bots').selectAll().where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('enabled', '=', true).where('token_sealed', 'is not', null).execute();
    await Promise.all(rows.map(async (r) => {
      const row = r as BotRow;
      await this.setCommands(row, this.bots.get(row.id)?.api ?? this.botApi(this.secrets.decrypt(row.token_sealed!), row.id))
        .catch((e) => this.log.warn({ err: e, bot: row.id }, 'setMyCommands failed'));
    }));
  }

  /**
   * The menu triggers of the flows that answer the bot (its own flow's first) become its menu commands, per
   * language; a bot whose flows have none gets its menu removed.
   */
  private async setCommands(row: BotRow, api: Api): Promise<void> {
    const flows = (await this.store.published(row.tenant_id, row.flow_key)).filter((f) => f.botId === null || f.botId === row.id || f.key === row.flow_key);
    const menu = new Map<string, Record<string, any>>();
    for (const n of flows.flatMap((f) => f.graph.nodes)) if (n.type === 'trigger.menu' && !menu.has(n.settings.command)) menu.set(n.settings.command, n.settings);
    for (const lang of ['en', 'ru', 'uk'] as const) {
      const scope = lang === 'en' ? {} : { language_code: lang };
      if (!menu.size) {
        await api.deleteMyCommands(scope);
        continue;
      }
      // Telegram takes at most 100 commands.
      const commands = [...menu.values()].slice(0, 100).map((m) => ({ command: String(m.command).slice(1), description: clip(m.description?.[lang] || m.description?.en || m.command, 256) }));
      await api.setMyCommands(commands, scope);
    }
  }

  private async poll(bot: RunningBot, signal: AbortSignal): Promise<void> {
    let offset = 0;
    let failures = 0;
    const attempts = new Map<number, number>();
    while (!signal.aborted) {
      try {
        const updates = await bot.api.getUpdates({ offset, timeout: 25, allowed_updates: [...ALLOWED_UPDATES] }, signal as Parameters<Api['getUpdates']>[1]);
        failures = 0;
        // Chats run in parallel; one chat's updates in order.
        const byChat = new Map<string, Update[]>();
        for (const u of updates) {
          const chat = String(u.message?.chat.id ?? u.callback_query?.message?.chat.id ?? u.callback_query?.from.id ?? u.pre_checkout_query?.from.id ?? 'other');
          byChat.set(chat, [...(byChat.get(chat) ?? []), u]);
        }
        let failed: number | undefined;
        await Promise.all([...byChat.values()].map(async (list) => {
          for (const u of list) {
            try {
              const answer = await this.handleUpdate(bot.row.id, u);
              if (answer) void this.answer(bot, answer);
              attempts.delete(u.update_id);
            } catch (e) {
              const n = (attempts.get(u.update_id) ?? 0) + 1;
              attempts.set(u.update_id, n);
              this.log.error({ err: e, bot: bot.row.id, update: u.update_id, attempt: n }, 'update failed');
              // Fetched again next time (handled ones are de-duplicated); given up after three tries.
              if (n >= 3) continue;
              failed = Math.min(failed ?? u.update_id, u.update_id);
              break;
            }
          }
        }));
        if (failed !== undefined) {
          offset = failed;
          await sleep(1000);
        } else if (updates.length) offset = updates[updates.length - 1].update_id + 1;
      } catch (e) {
        if (signal.aborted) break;
        failures++;
        this.log.warn({ err: e, bot: bot.row.id }, 'getUpdates failed');
        await sleep(Math.min(30_000, 500 * 2 ** failures));
      }
    }
  }

  /** Checks a webhook call's secret header against the bot's. */
  async verifyWebhook(botId: string, secret: string | undefined): Promise<RunningBot> {
    const matches = (b: RunningBot) => {
      const expected = Buffer.from(b.row.webhook_secret);
      const given = Buffer.from(secret ?? '');
      return expected.length === given.length && crypto.timingSafeEqual(expected, given);
    };
    let bot = await this.running(botId);
    // The secret may have changed on another instance since this one read the row (read again at
    // most once a second, so wrong-secret calls cannot turn into a query each).
    if (bot && !matches(bot) && !bot.poll && Date.now() - bot.loadedAt > 1000) bot = await this.running(botId, true);
    if (!bot) throw createError('BF_ERR_BOT_NOT_FOUND', { id: botId });
    if (!matches(bot)) throw createError('BF_ERR_BOT_WEBHOOK_FORBIDDEN');
    return bot;
  }

  /**
   * The bot as this process runs it. Instances share one database, and a bot created, changed or
   * turned off through another instance is only there: a bot this process does not know, or read
   * too long ago, is read again and taken up (its webhook was set by the instance that changed it).
   */
  private async running(botId: string, refresh = false): Promise<RunningBot | undefined> {
    const known = this.bots.get(botId);
    // A polling bot was started here by connect(); its row is this process's own.
    if (known && (known.poll || (!refresh && Date.now() - known.loadedAt < BOT_ROW_TTL_MS))) return known;
    if (this.stopping) return known;
    const row = await this.db.selectFrom('bots').selectAll().where('id', '=', botId).where('deleted_at', 'is', null).executeTakeFirst() as BotRow | undefined;
    const current = this.bots.get(botId);
    if (!row || !row.enabled || !row.token_sealed) {
      if (current) await this.disconnect(botId);
      return undefined;
    }
    if (current && current.row.token_sealed === row.token_sealed) {
      current.row = row;
      current.loadedAt = Date.now();
      return current;
    }
    const bot: RunningBot = { row, api: this.botApi(this.secrets.decrypt(row.token_sealed), row.id), loadedAt: Date.now() };
    this.bots.set(botId, bot);
    return bot;
  }

  /**
   * Runs the update's turn (once, however often Telegram delivers it); its replies are in the outbox when it commits.
   * A button press is answered with what this returns: by a webhook in its HTTP answer (one Bot API call less a
   * press), by polling with answerCallbackQuery.
   */
  async handleUpdate(botId: string, received: Update): Promise<CallbackAnswer | undefined> {
    // A user's text may hold a NUL or a broken surrogate, which the session's jsonb refuses: the turn would fail on
    // every redelivery (webhook) or every fetch (polling). Replaced, the message still gets its answer.
    const update = withoutBadStrings(received);
    const bot = await this.running(botId);
    if (!bot) return undefined;
    if (await this.paymentUpdate(bot, update)) return undefined;
    const msg = update.message;
    const cq = update.callback_query;
    const from = msg?.from ?? cq?.from;
    const chatId = msg?.chat.id ?? cq?.message?.chat.id ?? cq?.from.id;
    if (!from || chatId === undefined || (msg && msg.chat.type !== 'private')) {
      return cq ? { callback_query_id: cq.id } : undefined;
    }
    const conversation: Conversation = {
      tenantId: bot.row.tenant_id,
      channel: 'telegram',
      key: `tg:${botId}:${chatId}`,
      chatId: String(chatId),
      botId,
      client: { id: `telegram:${from.id}`, name: [from.first_name, from.last_name].filter(Boolean).join(' '), ...(msg?.contact && msg.contact.user_id === from.id ? { phone: msg.contact.phone_number } : {}) },
      locale: pickLocale(from.language_code),
      entryFlowKey: bot.row.flow_key,
    };
    let event: TurnEvent;
    if (cq) event = { kind: 'callback', id: cq.data ?? '' };
    // A forwarded contact is someone else's: only the sender's own counts as a verified phone.
    else if (msg?.contact) event = { kind: 'message', contact: { phone: msg.contact.phone_number, name: msg.contact.first_name, verified: msg.contact.user_id === from.id } };
    else {
      const media = msg && mediaOf(msg);
      event = { kind: 'message', text: msg?.text ?? msg?.caption ?? '', ...(media ? { media } : {}) };
    }
    const out = await this.engine.turn({ conversation }, event, { dedup: { botId, updateId: update.update_id } });
    if (out.duplicate || !cq) return undefined;
    // The pressed keyboard is spent: taken off the message (an action may keep it).
    const msgId = cq.message?.message_id;
    if (msgId && !out.stale && !out.keepButtons) void bot.api.editMessageReplyMarkup(chatId, msgId, { reply_markup: { inline_keyboard: [] } }).catch(() => {});
    // Answered at once (the client's spinner stops); not a chat message, so not through the outbox.
    return { callback_query_id: cq.id, ...(out.stale ? { text: engineText('staleButton', out.locale) } : {}) };
  }

  /** A press answered through the Bot API (polling: there is no webhook answer to carry it). */
  private async answer(bot: RunningBot, a: CallbackAnswer): Promise<void> {
    await bot.api.answerCallbackQuery(a.callback_query_id, a.text ? { text: a.text } : {}).catch((e) => this.log.warn({ err: e, bot: bot.row.id }, 'answerCallbackQuery failed'));
  }
}
