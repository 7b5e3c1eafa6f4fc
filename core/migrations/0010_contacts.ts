import { sql, type Kysely } from 'kysely';

/**
 * One client of a business = one contact, reachable through identities (a Telegram chat with one bot,
 * a web chat, a phone, an email). Plugins keep their own data about a contact by its id (booking's
 * clients become that); the identity rules (only a verified phone joins a record) live in core.
 * `tenants.country` is the default region for phones written without a country code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tenants ADD COLUMN country text NOT NULL DEFAULT 'RU' CHECK (country ~ '^[A-Z]{2}$')`.execute(db);

  await sql`CREATE TABLE contacts (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    locale text CHECK (locale IN ('ru','en','uk')),
    timezone text,
    birthday date,
    tags text[] NOT NULL DEFAULT '{}',
    -- purpose → {granted: bool, at, source}; transactional is implied by booking, marketing needs an opt-in
    consent jsonb NOT NULL DEFAULT '{}',
    notes text NOT NULL DEFAULT '',
    -- set when merged into another contact: the row stays for its history and for restoring
    merged_into uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX contacts_name_idx ON contacts (tenant_id, lower(name)) WHERE deleted_at IS NULL`.execute(db);

  await sql`CREATE TABLE contact_identities (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('telegram','webchat','phone','email','max','whatsapp')),
    -- telegram: the chat id; webchat: the session id; phone: E.164; email: lower-cased address
    value text NOT NULL,
    -- the bot a Telegram chat belongs to (a chat id means nothing without its bot); '' for other kinds
    bot_id text NOT NULL DEFAULT '',
    verified boolean NOT NULL DEFAULT false,
    -- the channel said it cannot reach it (Telegram 403 "blocked by the user", bounced email)
    unreachable_at timestamptz,
    unreachable_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts(tenant_id, id),
    CHECK (kind <> 'phone' OR value ~ '^\\+[1-9][0-9]{6,14}$'),
    CHECK ((kind = 'telegram') = (bot_id <> ''))
  )`.execute(db);
  // A chat, a web chat or a verified phone/email belongs to one contact; an unverified phone may be typed by many.
  await sql`CREATE UNIQUE INDEX contact_identities_key ON contact_identities (tenant_id, kind, bot_id, value)
    WHERE deleted_at IS NULL AND (verified OR kind IN ('telegram','webchat','max','whatsapp'))`.execute(db);
  await sql`CREATE INDEX contact_identities_value_idx ON contact_identities (tenant_id, value) WHERE deleted_at IS NULL`.execute(db);
  await sql`CREATE INDEX contact_identities_contact_idx ON contact_identities (tenant_id, contact_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS contact_identities`.execute(db);
  await sql`DROP TABLE IF EXISTS contacts`.execute(db);
  await sql`ALTER TABLE tenants DROP COLUMN IF EXISTS country`.execute(db);
}
