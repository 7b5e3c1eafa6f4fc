import { sql, type Kysely } from 'kysely';

/**
 * Merges of contacts (what moved, so a merge can be undone from the trash), the conversation's contact on
 * flow_sessions, and the adoption of booking's clients: before contacts, the booking plugin kept the
 * business's clients in booking_clients. Each row becomes a contact with the same id (booking's clientId is
 * the contactId from now on), its phone and Telegram chat become identities and its notes the contact's. Core
 * reads that table here once, while it still exists: booking's next migration drops it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE contact_merges (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    kept_id uuid NOT NULL,
    merged_id uuid NOT NULL,
    -- the identities that moved from the merged contact to the kept one (moved back on undo)
    identity_ids uuid[] NOT NULL DEFAULT '{}',
    actor_id uuid,
    at timestamptz NOT NULL,
    undone_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, kept_id) REFERENCES contacts(tenant_id, id),
    FOREIGN KEY (tenant_id, merged_id) REFERENCES contacts(tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX contact_merges_merged_idx ON contact_merges (tenant_id, merged_id) WHERE undone_at IS NULL`.execute(db);
  await sql`CREATE INDEX contacts_merged_into_idx ON contacts (tenant_id, merged_into) WHERE merged_into IS NOT NULL`.execute(db);

  await sql`ALTER TABLE flow_sessions ADD COLUMN contact_id uuid, ADD FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts(tenant_id, id)`.execute(db);

  const { rows } = await sql<{ t: string | null }>`SELECT to_regclass('booking_clients')::text AS t`.execute(db);
  if (rows[0]?.t) await adoptBookingClients(db);
}

async function adoptBookingClients(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO contacts (tenant_id, id, name, notes, created_at, updated_at, deleted_at)
    SELECT tenant_id, id, name, notes, created_at, updated_at, deleted_at FROM booking_clients`.execute(db);
  // The chat's bot: the one it last talked to, else the business's first bot.
  const chats = sql`SELECT c.tenant_id, c.id, c.telegram_chat_id AS chat, c.created_at, c.deleted_at, COALESCE(
      (SELECT s.bot_id::text FROM flow_sessions s WHERE s.tenant_id = c.tenant_id AND s.channel = 'telegram' AND s.chat_id = c.telegram_chat_id AND s.bot_id IS NOT NULL ORDER BY s.last_activity_at DESC LIMIT 1),
      (SELECT b.id::text FROM bots b WHERE b.tenant_id = c.tenant_id ORDER BY b.deleted_at IS NOT NULL, b.created_at, b.id LIMIT 1)) AS bot
    FROM booking_clients c WHERE c.telegram_chat_id IS NOT NULL`;
  await sql`INSERT INTO contact_identities (tenant_id, contact_id, kind, value, bot_id, verified, created_at, deleted_at)
    SELECT tenant_id, id, 'telegram', chat, bot, true, created_at, deleted_at FROM (${chats}) a WHERE bot IS NOT NULL`.execute(db);
  // A business without any bot: the chat id cannot be an identity (it means nothing without its bot); staff still see it.
  await sql`UPDATE contacts c SET notes = trim(c.notes || E'\\n' || 'Telegram chat ' || a.chat)
    FROM (${chats}) a WHERE a.bot IS NULL AND c.tenant_id = a.tenant_id AND c.id = a.id`.execute(db);
  // Conservative: a phone beside a chat may have been typed in that chat, so it is not taken as proven. A phone of
  // a record without a chat came from staff, the API or a confirmed code: the business's own key for the client, as before.
  await sql`INSERT INTO contact_identities (tenant_id, contact_id, kind, value, verified, created_at, deleted_at)
    SELECT tenant_id, id, 'phone', phone, telegram_chat_id IS NULL, created_at, deleted_at FROM booking_clients WHERE phone IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE flow_sessions DROP COLUMN IF EXISTS contact_id`.execute(db);
  await sql`DROP INDEX IF EXISTS contacts_merged_into_idx`.execute(db);
  await sql`DROP TABLE IF EXISTS contact_merges`.execute(db);
}
