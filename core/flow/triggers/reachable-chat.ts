import { sql } from 'kysely';
import type { Db, Locale } from '../../../plugin-sdk.js';

export interface StartContact {
  id: string;
  name: string;
  locale: Locale | null;
}

export interface ReachableChat {
  channel: 'telegram' | 'webchat';
  botId: string | null;
  chatId: string;
  /** the engine's conversation key, as the channel makes it */
  key: string;
  /** the session row's language, when the chat has one */
  locale: Locale | null;
}

/** The contact, following merges to the one that holds its identities now; null when gone. */
export async function startContact(db: Db, tenantId: string, contactId: string): Promise<StartContact | null> {
  let id = contactId;
  for (let hop = 0; hop < 5; hop++) {
    const row = await db.selectFrom('contacts').select(['id', 'name', 'locale', 'merged_into', 'deleted_at']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    if (!row.merged_into) return row.deleted_at ? null : { id: row.id, name: row.name, locale: row.locale };
    id = row.merged_into;
  }
  return null;
}

/**
 * The contact's chats no channel marked unreachable (a Telegram chat only with a working bot of the
 * business, and with `botId` only that bot's), the preferred channel's first, then the most recently active.
 */
export async function reachableChats(db: Db, tenantId: string, contactId: string, opts: { botId?: string | null; prefer?: string } = {}): Promise<ReachableChat[]> {
  const { rows } = await sql<{ kind: 'telegram' | 'webchat'; value: string; bot_id: string; locale: Locale | null }>`
    SELECT i.kind, i.value, i.bot_id, s.locale
    FROM contact_identities i
    LEFT JOIN bots b ON i.kind = 'telegram' AND b.id::text = i.bot_id AND b.tenant_id = i.tenant_id
    LEFT JOIN flow_sessions s ON s.tenant_id = i.tenant_id
      AND s.conversation_key = CASE WHEN i.kind = 'telegram' THEN 'tg:' || i.bot_id || ':' || i.value ELSE 'web:' || i.value END
    WHERE i.tenant_id = ${tenantId} AND i.contact_id = ${contactId} AND i.deleted_at IS NULL AND i.unreachable_at IS NULL
      AND i.kind IN ('telegram', 'webchat')
      AND (i.kind <> 'telegram' OR (b.id IS NOT NULL AND b.deleted_at IS NULL AND b.enabled AND b.token_sealed IS NOT NULL))
      AND (i.kind <> 'webchat' OR s.id IS NOT NULL)
      AND (${opts.botId ?? null}::text IS NULL OR i.bot_id = ${opts.botId ?? null}::text OR i.kind = 'webchat')
    ORDER BY (i.kind = ${opts.prefer ?? ''}) DESC, coalesce(s.last_activity_at, i.created_at) DESC`.execute(db);
  return rows.map((r) => r.kind === 'telegram'
    ? { channel: 'telegram', botId: r.bot_id, chatId: r.value, key: `tg:${r.bot_id}:${r.value}`, locale: r.locale }
    : { channel: 'webchat', botId: null, chatId: r.value, key: `web:${r.value}`, locale: r.locale });
}
