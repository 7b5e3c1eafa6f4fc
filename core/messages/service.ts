import crypto from 'node:crypto';
import { sql, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { ContactMessage, ConversationRef, Db, Locale, MessageContent, MessagePurpose, Messages, MessageState, MessageStatus, SendInput, Tx } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { executePrepared } from '../db/database.js';
import { createError } from '../errors.js';
import type { ChatMessage } from '../flow/session.js';
import { checkSendInput, prepareContent, type StoredContent } from './content.js';
import { blocksLater, OUTGOING_COLUMNS, type OutgoingRow } from './deliver.js';
import { quietHoursEnd, type QuietHours } from './quiet-hours.js';
import { MESSAGE_TEXTS } from './texts.js';

export const MESSAGES_CHANNEL = 'bookflow_messages';
/** The core action behind every marketing message's unsubscribe button. */
export const UNSUBSCRIBE_ACTION = 'core.unsubscribe';

/** The conversation key flow sessions use for a chat: `tg:<bot>:<chat>` or `web:<id>`. */
export function conversationKey(c: ConversationRef): string {
  return c.channel === 'telegram' ? `tg:${c.botId}:${c.chatId}` : `web:${c.chatId}`;
}

/** The order key of a message to a bare email address (no contact): `mail:<address>`, lower-cased. */
export const mailKey = (email: string) => `mail:${email.toLowerCase()}`;

/** What a turn leaves to send or to log: the client's words and the replies, in one conversation. */
export interface TurnRecord {
  tenantId: string;
  channel: 'telegram' | 'webchat';
  conversationKey: string;
  locale: Locale;
  incoming?: string;
  replies: ChatMessage[];
  /** the conversation's contact: a proactive turn's replies may reach them on another channel */
  contactId?: string | null;
  /** the turn was not the client's (a flow started for them): its replies are transactional messages to the contact */
  proactive?: boolean;
  /** 'queue': the dispatcher sends them (Telegram); 'shown': the channel showed them already (web chat) */
  replyMode: 'queue' | 'shown';
  /** texts for the business's staff chat (hand-offs): queued to that conversation */
  staff?: { conversationKey: string; texts: string[] };
  /** a statement of the turn to run with these rows, as a WITH query of theirs (the session's save): one round trip */
  along?: UpdateQueryBuilder<any, any, any, UpdateResult>;
}

/** Sends the replies a turn took for this instance, after its commit; they are leased for `leaseMs`. */
export interface TurnSender {
  leaseMs: number;
  take(rows: OutgoingRow[], claimedAt: number): void;
  /** a row of this chat was queued behind what take() is sending: it is to be claimed when that is done */
  behind(orderKey: string): void;
}

const notify = (trx: Tx) => sql`SELECT pg_notify(${MESSAGES_CHANNEL}, '')`.execute(trx);

const fromChat = (m: ChatMessage): StoredContent => ({
  text: m.text,
  ...(m.photo ? { photo: m.photo } : {}),
  ...(m.buttons?.length ? { buttons: m.buttons } : {}),
  ...(m.requestContact ? { requestContact: m.requestContact } : {}),
  ...(m.removeKeyboard ? { removeKeyboard: true } : {}),
});

/**
 * Writes messages: `send` for plugins and core (a row in the caller's transaction; the dispatcher sends it after
 * commit), and the rows of a turn (its replies, the client's words) in the turn's transaction.
 */
export class MessageService implements Messages {
  /** who sends the replies a turn took (the dispatcher of this instance) */
  private sender?: TurnSender;
  /** the Telegram channel's invoice links, handed in with the flow module (it owns the bots) */
  private invoiceLinks?: Messages['telegramInvoiceLink'];

  constructor(private readonly db: Db, private readonly clock: Clock) {}

  useSender(sender: TurnSender): void {
    this.sender = sender;
  }

  useInvoiceLinks(make: Messages['telegramInvoiceLink']): void {
    this.invoiceLinks = make;
  }

  telegramInvoiceLink(tenantId: string, invoice: Record<string, unknown>): Promise<{ url: string; botId: string } | undefined> {
    if (!this.invoiceLinks) throw new Error('invoice links are asked for before the flow module started');
    return this.invoiceLinks(tenantId, invoice);
  }

  async send(trx: Tx, input: SendInput): Promise<{ id: string; status: MessageStatus }> {
    checkSendInput(input);
    const now = this.clock.now();
    const contactId = 'contactId' in input.to ? input.to.contactId : null;
    if (contactId) {
      const found = await trx.selectFrom('contacts').select('id').where('tenant_id', '=', input.tenantId).where('id', '=', contactId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!found) throw createError('BF_ERR_CONTACT_NOT_FOUND', { id: contactId });
    }
    const conversation = 'conversation' in input.to ? conversationKey(input.to.conversation) : 'email' in input.to ? mailKey(input.to.email) : null;
    if ('email' in input.to && input.purpose !== 'transactional') {
      // Marketing needs a contact's consent and unsubscribe link; a reply belongs to a chat.
      throw createError('BF_ERR_MESSAGE_INVALID', { errors: [{ path: '/purpose', message: 'a message to a bare email address is transactional' }] });
    }
    if (input.to && 'conversation' in input.to && input.to.conversation.channel === 'telegram' && !input.to.conversation.botId) {
      throw createError('BF_ERR_MESSAGE_INVALID', { errors: [{ path: '/to/conversation/botId', message: 'a Telegram chat needs its bot' }] });
    }
    let notBefore = input.notBefore && input.notBefore > now ? input.notBefore : now;
    let deferred = notBefore > now;
    let reason: string | null = null;
    const message: MessageContent = input.purpose === 'marketing' ? withUnsubscribe(input.message) : input.message;
    if (input.purpose === 'marketing') {
      const quiet = await this.quietHours(trx, input.tenantId);
      const end = quietHoursEnd(notBefore, quiet.timezone, quiet.hours);
      if (end) [notBefore, deferred, reason] = [end, true, 'quiet-hours'];
    }
    const id = crypto.randomUUID();
    const { content, buttons } = prepareContent({ tenantId: input.tenantId, messageId: id, contactId, now }, message);
    const inserted = await trx.insertInto('messages').values({
      tenant_id: input.tenantId, id, direction: 'out', contact_id: contactId, conversation_key: conversation, order_key: conversation ?? `contact:${contactId}`,
      purpose: input.purpose, channels: input.channels ?? [], content: JSON.stringify(content), idempotency_key: input.idempotencyKey,
      status: 'queued', not_before: notBefore, deferred, reason, created_at: now,
    }).onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing())
      .returning(['id', 'status']).executeTakeFirst();
    if (!inserted) {
      // Sent (or being sent) already under this key: the first row answers, nothing is written twice.
      const first = await trx.selectFrom('messages').select(['id', 'status']).where('tenant_id', '=', input.tenantId).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirstOrThrow();
      return { id: first.id, status: first.status as MessageStatus };
    }
    if (buttons.length) await trx.insertInto('message_buttons').values(buttons).execute();
    await notify(trx);
    return { id: inserted.id, status: inserted.status as MessageStatus };
  }

  async statuses(q: Db | Tx, tenantId: string, ids: string[]): Promise<MessageState[]> {
    if (!ids.length) return [];
    const rows = await q.selectFrom('messages').select(['id', 'status', 'reason', 'channel', 'sent_at'])
      .where('tenant_id', '=', tenantId).where('direction', '=', 'out').where('id', '=', sql<string>`any(${ids}::uuid[])`).execute();
    return rows.map((r) => ({ id: r.id, status: r.status as MessageStatus, reason: r.reason, channel: r.channel, sentAt: r.sent_at }));
  }

  /** Rows are the contact's as the erasure finds them: by their contact (what was sent to it, what it wrote as a known contact). */
  async ofContact(q: Db | Tx, tenantId: string, contactId: string): Promise<ContactMessage[]> {
    const rows = await q.selectFrom('messages').select(['id', 'direction', 'purpose', 'status', 'channel', 'content', 'created_at', 'sent_at'])
      .where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).orderBy('seq').execute();
    return rows.map((r) => ({
      id: r.id, direction: r.direction as 'in' | 'out', purpose: r.purpose as MessagePurpose, status: r.status as ContactMessage['status'], channel: r.channel,
      text: (r.content as { text?: ContactMessage['text'] }).text ?? '', createdAt: r.created_at, sentAt: r.sent_at,
    }));
  }

  async forgetBefore(trx: Tx, tenantId: string, before: Date): Promise<number> {
    const done = await trx.updateTable('messages').set({ content: JSON.stringify({ text: '' }) }).where('tenant_id', '=', tenantId).where('created_at', '<', before)
      .where('status', 'not in', ['queued', 'sending']).where(sql<boolean>`content <> '{"text": ""}'::jsonb`).executeTakeFirst();
    return Number(done.numUpdatedRows);
  }

  /** Sends a failed message again from its first channel (staff's retry): queued now with its attempts reset; any other state is left as it is. */
  async retry(trx: Tx, tenantId: string, id: string): Promise<{ id: string; status: MessageStatus } | undefined> {
    const row = await trx.updateTable('messages').set({ status: 'queued', attempts: 0, reason: null, not_before: this.clock.now() })
      .where('tenant_id', '=', tenantId).where('id', '=', id).where('direction', '=', 'out').where('status', '=', 'failed').returning(['id', 'status']).executeTakeFirst();
    if (row) await notify(trx);
    return row ?? (await trx.selectFrom('messages').select(['id', 'status']).where('tenant_id', '=', tenantId).where('id', '=', id).where('direction', '=', 'out').executeTakeFirst());
  }

  /**
   * A turn's rows, in its transaction: a crash after the commit loses nothing, a rolled-back turn leaves nothing.
   * Replies to be sent are taken for this instance as they are written, when nothing of their chat is still open
   * before them: what this returns hands them to the sender once the transaction has committed, so a reply leaves
   * without a wake-up and a claim (if this instance dies first, their lease runs out and any sender takes them).
   */
  async recordTurn(trx: Tx, r: TurnRecord): Promise<(() => void) | undefined> {
    const now = this.clock.now();
    const claimedAt = performance.now();
    // created_at from the clock, like the retention cut-off it is compared with (crm's forgetBefore).
    const base = { tenant_id: r.tenantId, purpose: 'reply', locale: r.locale, not_before: now, created_at: now };
    const rows: Array<Record<string, unknown>> = [];
    if (r.incoming) rows.push({ ...base, direction: 'in', conversation_key: r.conversationKey, channel: r.channel, content: JSON.stringify({ text: r.incoming }), status: 'received' });
    const queued = r.replyMode === 'shown' ? { status: 'sent', channel: r.channel, sent_at: now } : this.sender ? this.taken(r.conversationKey, now, this.sender.leaseMs) : { status: 'queued' };
    for (const m of r.replies) {
      const toContact = r.proactive && r.contactId ? { contact_id: r.contactId, purpose: 'transactional' } : {};
      rows.push({ ...base, ...(m.id ? { id: m.id } : {}), direction: 'out', conversation_key: r.conversationKey, order_key: r.conversationKey, content: JSON.stringify(fromChat(m)), ...queued, ...toContact });
    }
    for (const text of r.staff?.texts ?? []) {
      rows.push({ ...base, direction: 'out', conversation_key: r.staff!.conversationKey, order_key: r.staff!.conversationKey, content: JSON.stringify({ text }), status: 'queued' });
    }
    if (!rows.length) {
      await r.along?.execute();
      return undefined;
    }
    // One statement: the rows, the dispatcher woken when one is left to it, and the statement they came along with.
    const q = r.along ? trx.with('along', () => r.along!) : trx;
    // Prepared: it runs on every turn and has a few texts (by the rows' count and shape), parsed and planned once a connection.
    const { rows: written } = await executePrepared(trx, q.with('rows', (db) => db.insertInto('messages').values(rows).returning([...OUTGOING_COLUMNS, 'status', 'seq']))
      .selectFrom('rows').select([...OUTGOING_COLUMNS, 'status', sql<boolean>`CASE WHEN status = 'queued' THEN (SELECT true FROM pg_notify(${MESSAGES_CHANNEL}, '')) END`.as('woken')])
      .orderBy('seq')) as { rows: Array<OutgoingRow & { status: string }> };
    const mine = written.filter((w) => w.status === 'sending');
    const sender = this.sender;
    if (sender && !mine.length && r.replies.length && r.replyMode === 'queue') sender.behind(r.conversationKey);
    return sender && mine.length ? () => sender.take(mine, claimedAt) : undefined;
  }

  /** A reply's state when written: taken ('sending', leased) if no earlier message of its chat is still open, else queued. */
  private taken(orderKey: string, now: Date, leaseMs: number): Record<string, unknown> {
    const free = sql`NOT EXISTS (SELECT 1 FROM messages e WHERE e.order_key = ${orderKey} AND ${blocksLater(now)})`;
    return {
      status: sql`CASE WHEN ${free} THEN 'sending' ELSE 'queued' END`,
      // One lease for all of a turn's rows (clock_timestamp() would differ row by row): they are handed back together.
      lease_until: sql`CASE WHEN ${free} THEN date_trunc('milliseconds', statement_timestamp() + ${leaseMs}::int * interval '1 millisecond') END`,
    };
  }

  private async quietHours(q: Db | Tx, tenantId: string): Promise<{ timezone: string; hours: QuietHours | null }> {
    const row = await q.selectFrom('tenants').select(['timezone', 'quiet_hours']).where('id', '=', tenantId).executeTakeFirstOrThrow();
    return { timezone: row.timezone, hours: row.quiet_hours as QuietHours | null };
  }

  /** Where the dispatcher reads quiet hours too. */
  businessQuietHours(tenantId: string, q: Db | Tx = this.db) {
    return this.quietHours(q, tenantId);
  }
}

/** Every marketing message carries a way out: an unsubscribe button, its own row at the bottom. */
function withUnsubscribe(m: MessageContent): MessageContent {
  return { ...m, buttons: [...(m.buttons ?? []), [{ label: MESSAGE_TEXTS.unsubscribe, action: UNSUBSCRIBE_ACTION }]] };
}
