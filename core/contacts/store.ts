import { sql } from 'kysely';
import { executePrepared } from '../db/database.js';
import type { Contact, ContactIdentity, ConversationRef, Db, IdentityKind, Locale, Tx } from '../../plugin-sdk.js';

type Q = Db | Tx;

/** consent jsonb: purpose → {granted, at, source} */
type ConsentColumn = Record<string, { granted: boolean; at: string; source: string } | undefined>;

export interface IdentityKey {
  kind: IdentityKind;
  value: string;
  botId?: string | null;
}

/** Where a conversation is, as an identity: a Telegram chat of one bot, or a web chat session. */
export const conversationKey = (c: ConversationRef): IdentityKey => ({ kind: c.channel, value: c.chatId, botId: c.channel === 'telegram' ? c.botId ?? null : null });

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d));
const day = (d: Date | string | null) => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`);

function toContact(r: Record<string, any>, identities: ContactIdentity[]): Contact {
  const marketing = (r.consent as ConsentColumn).marketing;
  return {
    id: r.id, name: r.name, locale: r.locale as Locale | null, timezone: r.timezone, birthday: day(r.birthday), tags: r.tags, notes: r.notes,
    consent: { marketing: marketing?.granted ?? null, marketingAt: marketing ? new Date(marketing.at) : null, marketingSource: marketing?.source ?? null },
    identities, createdAt: iso(r.created_at), lastSeenAt: r.last_seen_at ? iso(r.last_seen_at) : null,
  };
}

/** Chats first (where a conversation goes on), then phones, then emails. */
const KIND_ORDER = ['telegram', 'max', 'whatsapp', 'webchat', 'phone', 'email'];

/** Live contacts by id (neither deleted nor merged), with their identities, in the order asked; one statement. */
export async function loadContacts(q: Q, tenantId: string, ids: string[]): Promise<Contact[]> {
  if (!ids.length) return [];
  const unique = [...new Set(ids)];
  const rows = await q.selectFrom('contacts as c').selectAll('c')
    .select(sql<Array<{ kind: IdentityKind; value: string; bot_id: string; verified: boolean; unreachable: boolean }>>`(
      SELECT coalesce(json_agg(json_build_object('kind', i.kind, 'value', i.value, 'bot_id', i.bot_id, 'verified', i.verified, 'unreachable', i.unreachable_at IS NOT NULL)
        ORDER BY array_position(${KIND_ORDER}::text[], i.kind), i.created_at, i.id), '[]')
      FROM contact_identities i WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.id AND i.deleted_at IS NULL)`.as('identities_found'))
    .where('c.tenant_id', '=', tenantId).where('c.id', 'in', unique).where('c.deleted_at', 'is', null).execute();
  const found = new Map(rows.map(({ identities_found: list, ...r }) => [r.id as string, toContact(r, list.map((i) => ({
    kind: i.kind, value: i.value, botId: i.bot_id || null, verified: i.verified, unreachable: i.unreachable,
  })))]));
  return unique.map((id) => found.get(id)).filter((c): c is Contact => Boolean(c));
}

/** The live contact an id stands for: itself, or the one it was merged into (merges may chain). */
export async function liveId(q: Q, tenantId: string, id: string): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE chain AS (
      SELECT id, merged_into, deleted_at, 0 AS depth FROM contacts WHERE tenant_id = ${tenantId} AND id = ${id}
      UNION ALL
      SELECT c.id, c.merged_into, c.deleted_at, chain.depth + 1 FROM contacts c JOIN chain ON c.tenant_id = ${tenantId} AND c.id = chain.merged_into WHERE chain.depth < 20
    ) SELECT id FROM chain WHERE deleted_at IS NULL LIMIT 1`.execute(q);
  return rows[0]?.id ?? null;
}

/** The contact holding an identity: for phones and emails only a verified one is a key. */
export async function holderOf(q: Q, tenantId: string, key: IdentityKey, opts: { verifiedOnly?: boolean } = {}): Promise<string | null> {
  // Prepared: asked twice by every booking and every chat turn that knows its client.
  const { rows } = await executePrepared(q, q.selectFrom('contact_identities').select('contact_id').where('tenant_id', '=', tenantId).where('kind', '=', key.kind)
    .where('bot_id', '=', key.botId ?? '').where('value', '=', key.value).where('deleted_at', 'is', null)
    .$if(opts.verifiedOnly === true, (b) => b.where('verified', '=', true))
    .orderBy('verified', 'desc').orderBy('created_at').limit(1));
  return rows[0]?.contact_id ?? null;
}

/** Serializes identify/create calls about one identity of a business until the transaction ends. */
export async function lockIdentity(trx: Tx, tenantId: string, key: IdentityKey): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${tenantId}::text), hashtext(${`contact:${key.kind}:${key.botId ?? ''}:${key.value}`}::text))`.execute(trx);
}

/** Adds an identity to a contact, or makes an unverified one it already has verified. */
export async function addIdentity(trx: Tx, tenantId: string, contactId: string, key: IdentityKey, verified: boolean, now: Date): Promise<void> {
  const has = await trx.selectFrom('contact_identities').select(['id', 'verified']).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).where('kind', '=', key.kind)
    .where('bot_id', '=', key.botId ?? '').where('value', '=', key.value).where('deleted_at', 'is', null).executeTakeFirst();
  if (has) {
    if (verified && !has.verified) await trx.updateTable('contact_identities').set({ verified: true }).where('tenant_id', '=', tenantId).where('id', '=', has.id).execute();
    return;
  }
  await trx.insertInto('contact_identities').values({ tenant_id: tenantId, contact_id: contactId, kind: key.kind, value: key.value, bot_id: key.botId ?? '', verified, created_at: now }).execute();
}

/**
 * A new contact row and its identities, in one statement, returned as loadContacts would read it back: it has
 * no identities yet to check against, and every value of the new rows is known here.
 */
export async function createContact(trx: Tx, tenantId: string, values: Record<string, unknown>, identities: Array<{ key: IdentityKey; verified: boolean }>, now: Date): Promise<Contact> {
  const list = identities.map(({ key, verified }) => ({ kind: key.kind, value: key.value, bot_id: key.botId ?? '', verified }));
  const row = await trx.with('c', (db) => db.insertInto('contacts').values({ tenant_id: tenantId, ...values, created_at: now, updated_at: now }).returningAll())
    .with('i', (db) => db.insertInto('contact_identities').columns(['tenant_id', 'contact_id', 'kind', 'value', 'bot_id', 'verified', 'created_at'])
      .expression(sql`SELECT c.tenant_id, c.id, x.kind, x.value, x.bot_id, x.verified, ${now}::timestamptz
        FROM c, jsonb_to_recordset(${JSON.stringify(list)}::jsonb) AS x(kind text, value text, bot_id text, verified boolean)`))
    .selectFrom('c').selectAll().executeTakeFirstOrThrow();
  const order = (i: { kind: string }) => KIND_ORDER.indexOf(i.kind);
  return toContact(row, [...list].sort((a, b) => order(a) - order(b)).map((i) => ({ kind: i.kind, value: i.value, botId: i.bot_id || null, verified: i.verified, unreachable: false })));
}
