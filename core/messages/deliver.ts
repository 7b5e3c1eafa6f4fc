import { sql, type RawBuilder } from 'kysely';
import type { Logger } from 'pino';
import type { BusinessProfile, ChannelSendResult, ContactIdentity, Db, IdentityKind, Locale, MessagePurpose } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { DEFAULT_CHANNEL_ORDER, type ChannelRegistry } from './channels.js';
import { rendered, type StoredContent } from './content.js';
import { quietHoursEnd, type QuietHours } from './quiet-hours.js';

/** A claimed message row, as the dispatcher hands it over. */
export interface OutgoingRow {
  tenant_id: string;
  id: string;
  contact_id: string | null;
  conversation_key: string | null;
  order_key: string;
  purpose: MessagePurpose;
  channels: IdentityKind[];
  content: StoredContent;
  locale: Locale | null;
  attempts: number;
  /** until when this sender holds the row */
  lease_until: Date;
}

/**
 * What keeps a row from being sent: a row `e` of its order key (the caller's condition) that is being sent, or queued
 * and due (or waiting for its own turn rather than a deferral). One test for the claim and for a turn's replies.
 */
export const blocksLater = (now: Date): RawBuilder<boolean> =>
  sql<boolean>`(e.status = 'sending' OR (e.status = 'queued' AND (e.not_before <= ${now} OR NOT e.deferred)))`;

/** The columns of an OutgoingRow, as a claim returns them. */
export const OUTGOING_COLUMNS = ['tenant_id', 'id', 'contact_id', 'conversation_key', 'order_key', 'purpose', 'channels', 'content', 'locale', 'attempts', 'lease_until'] as const;

export type Outcome =
  | { status: 'sent'; channel: IdentityKind; identityId: string | null; conversationKey: string | null; providerId: string | null }
  /** `counted`: a failure that uses up an attempt (backoff); otherwise the channel asked for the wait (a 429) */
  | { status: 'retry'; reason: string; afterMs?: number; counted: boolean }
  | { status: 'failed'; reason: string }
  | { status: 'skipped'; reason: string }
  | { status: 'postponed'; until: Date; reason: string };

interface Candidate {
  id: string | null;
  identity: ContactIdentity;
}

/** A chat's conversation key back into its identity: `tg:<bot>:<chat>`, `web:<id>`; `mail:<address>` (no contact's). */
function chatIdentity(key: string): ContactIdentity | undefined {
  const tg = /^tg:([^:]+):(.+)$/.exec(key);
  if (tg) return { kind: 'telegram', botId: tg[1], value: tg[2], verified: true, unreachable: false };
  const web = /^web:(.+)$/.exec(key);
  if (web) return { kind: 'webchat', botId: null, value: web[1], verified: true, unreachable: false };
  const mail = /^mail:(.+)$/.exec(key);
  if (mail) return { kind: 'email', botId: null, value: mail[1], verified: true, unreachable: false };
  return undefined;
}

const keyOf = (i: ContactIdentity): string | null => (i.kind === 'telegram' ? `tg:${i.botId}:${i.value}` : i.kind === 'webchat' ? `web:${i.value}` : null);

/**
 * Sends one message: picks the channel (a conversation's own chat, or the contact's first reachable identity in
 * the preference order), checks consent and quiet hours for marketing, and asks the channel's adapter.
 * An identity the channel cannot reach is marked and the next one tried.
 */
export class Deliverer {
  constructor(
    private readonly db: Db,
    private readonly channels: ChannelRegistry,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly business: (tenantId: string) => Promise<BusinessProfile>,
  ) {}

  /** `sendBy`: the `performance.now()` by which the send must be done for the outcome to be recorded in the lease. */
  async deliver(row: OutgoingRow, sendBy: number): Promise<Outcome> {
    const business = await this.business(row.tenant_id);
    let locale: Locale = row.locale ?? business.locale;
    let candidates: Candidate[];
    const toChat = row.conversation_key !== null && row.order_key === row.conversation_key;
    if (toChat) {
      const identity = chatIdentity(row.conversation_key!);
      if (!identity) return { status: 'failed', reason: `no channel for ${row.conversation_key}` };
      candidates = [{ id: null, identity }];
      // A message the client did not ask for (a flow started for them) goes on to their other channels when the chat cannot take it.
      if (row.purpose !== 'reply' && row.contact_id) candidates.push(...(await this.identities(row)).filter((c) => keyOf(c.identity) !== row.conversation_key));
    } else {
      const contact = await this.db.selectFrom('contacts').select(['locale', 'consent', 'deleted_at']).where('tenant_id', '=', row.tenant_id).where('id', '=', row.contact_id).executeTakeFirst();
      if (!contact || contact.deleted_at) return { status: 'skipped', reason: 'contact-deleted' };
      if (row.purpose === 'marketing') {
        if (contact.consent?.marketing?.granted !== true) return { status: 'skipped', reason: 'no-consent' };
        const tenant = await this.db.selectFrom('tenants').select('quiet_hours').where('id', '=', row.tenant_id).executeTakeFirstOrThrow();
        const end = quietHoursEnd(this.clock.now(), business.timezone, tenant.quiet_hours as QuietHours | null);
        if (end) return { status: 'postponed', until: end, reason: 'quiet-hours' };
      }
      locale = row.locale ?? (contact.locale as Locale | null) ?? business.locale;
      candidates = await this.identities(row);
    }
    const content = rendered(row.content, locale, business.locale);
    // A send that started late would still be running when the lease ends and another sender takes the row.
    const budget = Math.floor(sendBy - performance.now());
    if (budget <= 0) return { status: 'retry', reason: 'the lease ran out before the send', afterMs: 0, counted: false };
    const signal = AbortSignal.timeout(budget);
    for (const c of candidates) {
      if (signal.aborted) return { status: 'retry', reason: 'the lease ran out before the send', afterMs: 0, counted: false };
      const channel = this.channels.get(c.identity.kind);
      if (!channel || !(await channel.adapter.available(row.tenant_id, channel.ctx).catch(() => false))) continue;
      let result: ChannelSendResult;
      try {
        result = await channel.adapter.send({ messageId: row.id, tenantId: row.tenant_id, contactId: row.contact_id, identity: c.identity, purpose: row.purpose, locale, ...content, signal }, channel.ctx);
      } catch (e) {
        this.log.warn({ err: e, messageId: row.id, channel: c.identity.kind }, 'channel adapter threw; the message will be retried');
        return { status: 'retry', reason: e instanceof Error ? e.message : String(e), counted: true };
      }
      if (result.status === 'sent') return { status: 'sent', channel: c.identity.kind, identityId: c.id, conversationKey: keyOf(c.identity), providerId: result.providerId ?? null };
      if (result.status === 'retry') return { status: 'retry', reason: result.reason, afterMs: result.afterMs, counted: result.afterMs === undefined };
      if (result.status === 'failed') return { status: 'failed', reason: result.reason };
      await this.unreachable(row.tenant_id, c, result.reason);
      if (toChat && candidates.length === 1) return { status: 'failed', reason: `unreachable: ${result.reason}` };
    }
    return { status: 'skipped', reason: 'no-reachable-channel' };
  }

  /** The contact's identities that may still be reached, in the message's preference order (verified ones first). */
  private async identities(row: OutgoingRow): Promise<Candidate[]> {
    const order = row.channels.length ? row.channels : DEFAULT_CHANNEL_ORDER;
    const rows = await this.db.selectFrom('contact_identities').select(['id', 'kind', 'value', 'bot_id', 'verified'])
      .where('tenant_id', '=', row.tenant_id).where('contact_id', '=', row.contact_id).where('deleted_at', 'is', null).where('unreachable_at', 'is', null)
      .where('kind', 'in', order).orderBy('verified', 'desc').orderBy('created_at', 'desc').execute();
    return order.flatMap((kind) => rows.filter((r) => r.kind === kind).map((r) => ({
      id: r.id as string,
      identity: { kind, value: r.value, botId: r.bot_id || null, verified: r.verified, unreachable: false },
    })));
  }

  private async unreachable(tenantId: string, c: Candidate, reason: string): Promise<void> {
    const i = c.identity;
    let q = this.db.updateTable('contact_identities').set({ unreachable_at: this.clock.now(), unreachable_reason: reason.slice(0, 500) }).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null);
    q = c.id ? q.where('id', '=', c.id) : q.where('kind', '=', i.kind).where('value', '=', i.value).where('bot_id', '=', i.botId ?? '');
    await q.execute();
    this.log.info({ tenantId, kind: i.kind, identityId: c.id, reason }, 'identity marked unreachable');
  }
}
